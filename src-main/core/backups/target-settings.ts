import type { BackupTarget } from '../../api/backups'

/** The uploader's image on servers, unless the core is told another (CoreOptions.uploaderImage). */
export const DEFAULT_UPLOADER_IMAGE = 'rclone/rclone:1.68'

/**
 * The content of a target's 0600 file on a server (remote-scripts/lib/backup-store.sh reads it):
 * rclone's settings for the remote `T` as RCLONE_CONFIG_T_* lines (handed to the uploader's container
 * as its environment, so the secret key is never on a command line), and where in the bucket backups go.
 * Every value was checked by parseTarget (no line breaks).
 */
export function targetSettings(
  target: Pick<BackupTarget, 'endpoint' | 'bucket' | 'region' | 'prefix' | 'accessKeyId'>,
  secretAccessKey: string,
  uploaderImage: string,
): string {
  const lines: [string, string | null][] = [
    ['RCLONE_CONFIG_T_TYPE', 's3'],
    ['RCLONE_CONFIG_T_PROVIDER', 'Other'],
    ['RCLONE_CONFIG_T_ENV_AUTH', 'false'],
    ['RCLONE_CONFIG_T_ENDPOINT', target.endpoint],
    ['RCLONE_CONFIG_T_REGION', target.region],
    ['RCLONE_CONFIG_T_ACCESS_KEY_ID', target.accessKeyId],
    ['RCLONE_CONFIG_T_SECRET_ACCESS_KEY', secretAccessKey],
    ['RCLONE_CONFIG_T_FORCE_PATH_STYLE', 'true'],
    // The bucket exists: creating it needs rights a backup key should not have.
    ['RCLONE_CONFIG_T_NO_CHECK_BUCKET', 'true'],
    ['HELVETIA_TARGET_BUCKET', target.bucket],
    ['HELVETIA_TARGET_PREFIX', target.prefix],
    ['HELVETIA_UPLOADER_IMAGE', uploaderImage],
  ]
  return lines
    .filter((line): line is [string, string] => line[1] !== null)
    .map(([key, value]) => `${key}=${value}\n`)
    .join('')
}
