import { UserError } from '../../errors'
import { BASE_IMAGES, TOOL_IMAGES } from '../base-images'
import { cmd, copyList, header, lines, port } from '../dockerfile-text'
import type { Detector } from '../recipe'
import { pickImage } from '../versions'

/**
 * PHP: composer.json (or an index.php with no Composer), served by the official php:*-apache image:
 * one process, no FastCGI pair to keep in step, Apache's mod_php and mod_rewrite. The dependencies
 * come from Composer's image in a first stage; the document root is public/ when there is one
 * (Laravel, Symfony), else the top. Apache listens on $PORT and runs as www-data.
 */

export const detectPhp: Detector = async (ctx) => {
  const { top, files } = ctx
  const composer = top.has('composer.json')
  if (!composer && !top.has('index.php')) return null
  let rule: { text: string; from: string } | null = null
  if (composer) {
    let parsed: { require?: Record<string, unknown>; config?: { platform?: Record<string, unknown> } }
    try {
      parsed = JSON.parse((await files.read('composer.json')) ?? '') as typeof parsed
    } catch (error) {
      throw new UserError(
        'MANIFEST_INVALID',
        `composer.json in ${files.where} is not valid JSON (${(error as Error).message}).`,
        'Fix composer.json (composer validate checks it), then try again.',
      )
    }
    const platform = parsed.config?.platform?.php
    const require = parsed.require?.php
    if (typeof platform === 'string') rule = { text: platform, from: 'composer.json config.platform.php' }
    else if (typeof require === 'string') rule = { text: require, from: 'composer.json require.php' }
  }
  const picked = pickImage(BASE_IMAGES.php, rule)
  if ('error' in picked) {
    throw new UserError(
      'NO_BASE_IMAGE',
      `${picked.error}: no PHP image Helvetia pins fits.`,
      'Allow one of those versions in composer.json, or add a Dockerfile of your own.',
    )
  }
  const image = picked.image.image
  const publicDir = (await files.list('public')).length > 0
  const root = publicDir ? '/var/www/html/public' : '/var/www/html'
  const web = ctx.procfile.find((p) => p.name === 'web')
  const start = web?.command ?? 'apache2-foreground'
  const lock = top.has('composer.lock') ? ['composer.lock'] : []
  const dockerfile = lines(
    header('a PHP app'),
    composer
      ? [
          `FROM ${TOOL_IMAGES.composer} AS vendor`,
          'WORKDIR /app',
          '# Dependencies first: this layer is reused until composer.json or composer.lock changes.',
          copyList(['composer.json', ...lock], './'),
          'RUN composer install --no-dev --no-scripts --no-autoloader --prefer-dist --no-interaction --ignore-platform-reqs',
          'COPY . .',
          'RUN composer dump-autoload --optimize --no-dev',
          '',
        ]
      : null,
    [
      `FROM ${image}`,
      `ENV APACHE_DOCUMENT_ROOT=${root}`,
      // Apache reads ${PORT} and ${APACHE_DOCUMENT_ROOT} from the environment when it starts.
      "RUN sed -ri 's!/var/www/html!${APACHE_DOCUMENT_ROOT}!g' /etc/apache2/sites-available/*.conf \\",
      "  && sed -ri 's!^Listen 80$!Listen ${PORT}!' /etc/apache2/ports.conf \\",
      "  && sed -ri 's!<VirtualHost \\*:80>!<VirtualHost *:${PORT}>!' /etc/apache2/sites-available/000-default.conf \\",
      '  && a2enmod rewrite \\',
      '  && chown -R www-data:www-data /var/run/apache2 /var/lock/apache2 /var/log/apache2',
      composer
        ? 'COPY --from=vendor --chown=www-data:www-data /app /var/www/html'
        : 'COPY --chown=www-data:www-data . /var/www/html',
      'USER www-data',
    ],
    port(ctx.port),
    cmd(start),
  )
  return {
    stack: 'php',
    evidence: [
      composer
        ? `composer.json${lock.length ? ' and composer.lock' : ' without composer.lock (commit it for repeatable builds)'}: composer install`
        : 'index.php at the top, no composer.json',
      picked.evidence,
      `Apache (mod_php) on $PORT, document root ${publicDir ? 'public/' : 'the top'}`,
      ...(web ? [`Procfile: web: ${web.command}`] : []),
    ],
    dockerfile,
    baseImages: composer ? [image, TOOL_IMAGES.composer] : [image],
    start,
  }
}
