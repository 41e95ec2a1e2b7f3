import assert from 'node:assert/strict'
import { test } from 'node:test'
import { githubRepoOf, githubSshUrl, parseFullName } from '../../src-main/core/github/repo-url'

test('the GitHub repository of a git URL: SSH, ssh:// and https forms, GitHub Enterprise, other hosts', () => {
  const shop = { owner: 'octo', repo: 'shop.front' }
  assert.deepEqual(githubRepoOf('git@github.com:octo/shop.front.git'), shop)
  assert.deepEqual(githubRepoOf('git@github.com:octo/shop.front'), shop)
  assert.deepEqual(githubRepoOf('ssh://git@github.com/octo/shop.front.git'), shop)
  assert.deepEqual(githubRepoOf('https://github.com/octo/shop.front'), shop)
  assert.deepEqual(githubRepoOf('https://GitHub.com/octo/shop.front.git/'), shop)
  assert.deepEqual(githubRepoOf('git@ghe.example.com:octo/shop.front.git', 'ghe.example.com'), shop)
  assert.equal(githubRepoOf('git@ghe.example.com:octo/shop.front.git'), null)
  assert.equal(githubRepoOf('git@gitlab.com:octo/shop.git'), null)
  assert.equal(githubRepoOf('https://github.com/octo/shop/tree/main'), null)
  assert.equal(githubRepoOf('/srv/git/shop.git'), null)
  assert.equal(githubSshUrl(shop), 'git@github.com:octo/shop.front.git')
})

test('owner/repo from the repo list is checked', () => {
  assert.deepEqual(parseFullName('octo/shop'), { owner: 'octo', repo: 'shop' })
  for (const bad of ['octo', 'octo/shop/x', '-octo/shop', 'octo/..', 'octo/sh op']) {
    assert.throws(() => parseFullName(bad), { code: 'GITHUB_INPUT_INVALID' }, bad)
  }
})
