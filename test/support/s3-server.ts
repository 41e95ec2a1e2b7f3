import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import S3rver from 's3rver'

/**
 * A local S3-compatible server (s3rver) on 127.0.0.1, its objects in a temporary folder. Stands in for
 * a cloud bucket, which this machine cannot reach. It checks the access key id but not the SigV4
 * signature: a refused credential is tested with an unknown key id, never a wrong secret.
 */
export interface S3Server {
  /** `http://127.0.0.1:PORT`: reachable from the server's uploader container, which uses the host's network. */
  endpoint: string
  bucket: string
  accessKeyId: string
  secretAccessKey: string
  /** Where the objects are stored: `dir/BUCKET/KEY._S3rver_object` (s3rver's file layout). */
  dir: string
  /** Stops answering (the "S3 is down" case); `start` answers again on the same port. */
  stop(): Promise<void>
  start(): Promise<void>
}

export async function startS3Server(t: TestContext, bucket = 'helvetia-backups'): Promise<S3Server> {
  const dir = mkdtempSync(join(tmpdir(), 'helvetia-s3-'))
  let port = 0
  let server: S3rver | undefined
  const start = async () => {
    server = new S3rver({
      address: '127.0.0.1',
      port,
      silent: true,
      directory: dir,
      configureBuckets: [{ name: bucket, configs: [] }],
      // Path-style requests (rclone's force_path_style): the bucket is in the path, not the host name.
      vhostBuckets: false,
    })
    const address = await server.run()
    port = address.port
  }
  const stop = async () => {
    const running = server
    server = undefined
    if (running) await running.close()
  }
  await start()
  t.after(async () => {
    await stop()
    rmSync(dir, { recursive: true, force: true })
  })
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    dir,
    stop,
    start,
  }
}
