/**
 * The patterns every value that crosses to a server is checked against, as POSIX extended regular
 * expressions (ERE): the same text checks a value here (`whole`), in the server's scripts
 * (remote-scripts/lib/rules.sh) and in the relay (relay/rules.js), both generated from this file
 * (src-main/tooling/generate-rules.ts). Only the subset of ERE that JavaScript reads the same way is
 * used: groups `( )`, classes `[ ]`, `?`, `*`, `+`, `{m,n}` and `|`.
 */
import { APP_NAME_PATTERN, ENV_KEY_PATTERN } from '../../api/apps'

export const PATTERNS = {
  /** An app's name: a DNS label of at most 40 characters, starting with a letter (the contract's rule). */
  app: APP_NAME_PATTERN,
  /** An env variable's name. */
  envKey: ENV_KEY_PATTERN,
  /** What Helvetia names its things on a server by (`~/.PREFIX`, containers, the network). */
  prefix: '[a-z][a-z0-9-]{0,30}',
  /** `YYYYMMDD-HHMMSS-xxxx` (ids.ts). */
  deploymentId: '[0-9]{8}-[0-9]{6}-[0-9a-f]{4}',
  sha256: '[0-9a-f]{64}',
  /** A full git commit id. */
  commit: '[0-9a-f]{40}',
  /** Who or what started a deploy: `cli`, `desktop`, `push`, `rollback`, … */
  trigger: '[a-z][a-z0-9-]{0,31}',
  seconds: '[0-9]{1,6}',
  /** A Docker size: 512m, 1g. */
  memory: '[1-9][0-9]{0,9}[kmg]?',
  cpus: '[0-9]{1,3}(\\.[0-9]{1,2})?',
  restart: 'no|always|unless-stopped|on-failure(:[1-9][0-9]{0,2})?',
  healthPath: '/[A-Za-z0-9._~/%?&=+:@!$,;*-]{0,200}',
  /** A host name, loosely (each label is checked strictly where it is written). */
  host: '[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?',
  /** A Dockerfile's path inside the source (a `..` part is refused on its own). */
  dockerfile: '[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*',
  /** The characters a git URL may hold (its forms are checked on their own). */
  gitUrl: '[A-Za-z0-9@_~:/+][A-Za-z0-9@._~:/+-]{0,500}',
  branch: '[A-Za-z0-9_][A-Za-z0-9._/-]{0,199}',
  /** A pushed branch, as a push event names it. */
  ref: 'refs/heads/[A-Za-z0-9_][A-Za-z0-9._/-]{0,199}',
  /** GitHub's delivery ids are GUIDs. */
  delivery: '[A-Za-z0-9_.:-]{1,100}',
  /** A Docker image reference: [registry[:port]/]path[:tag][@sha256:digest]. */
  image:
    '([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]+)?/)?[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*(/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?',
  port: '[1-9][0-9]{0,4}',
  /** A catalogue template's version (major.minor.patch), as a deployment records it. */
  templateVersion: '(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})',
  ipv4: '((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])',
  /** A backup's id: `YYYYMMDDTHHMMSSZ-xxxx`, its UTC time and random hex digits (sorts by time). */
  backupId: '[0-9]{8}T[0-9]{6}Z-[0-9a-f]{4}',
  /** An S3 bucket's name (path-style, so no upper case). */
  bucket: '[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]',
  /** Folders in a bucket that a backup target keeps its objects under. */
  objectPrefix: '[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*',
  /** Loose: the desktop checks IPv6 strictly (node:net), the server only keeps shell syntax out. */
  ipv6: '[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*',
  /** An app volume's name; on the server the Docker volume `PREFIX-APP-NAME`. */
  volumeName: '[a-z0-9]([a-z0-9_.-]{0,38}[a-z0-9])?',
  /**
   * An absolute path a volume is mounted at, or a host folder bound: no empty part (so no `//`, no
   * trailing `/`, never `/` itself), and none of the characters Docker's `--mount` or a shell reads.
   */
  mountPath: '(/[A-Za-z0-9._@+-]+){1,32}',
  /** A mount path with a `.` or `..` part: refused, as it is not written the normal way. */
  dotPathPart: '(.*/)?[.][.]?(/.*)?',
  /**
   * Host folders never bound into an app (refused whole and below): the system's own, Docker's data
   * and socket, and the parents that hold them.
   */
  systemPath:
    '/(bin|boot|dev|etc|lib[A-Za-z0-9_-]*|proc|root|run|sbin|sys|usr|var|var/run|var/lib|var/lib/docker)|/(bin|boot|dev|etc|lib[A-Za-z0-9_-]*|proc|root|run|sbin|sys|usr|var/run|var/lib/docker)/.*',
  /** A backup schedule's interval (core/databases/backup-schedule.ts): minutes, hours or days. */
  interval: '[1-9][0-9]{0,4}[mhd]',
  /** A time of day, 24-hour `HH:MM`. */
  clockTime: '([01][0-9]|2[0-3]):[0-5][0-9]',
  /** A webhook's address: http(s), a host, an optional port and path; no space, quote or backslash. */
  webhookUrl:
    'https?://[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:[0-9]{1,5})?(/[A-Za-z0-9._~/%?&=+:@!$,;*-]{0,500})?',
  /** A process type's name (`web`, `worker`): part of its containers' names (core/processes). */
  processName: '[a-z]([a-z0-9-]{0,18}[a-z0-9])?',
  /** A scheduled job's name. */
  jobName: '[a-z]([a-z0-9-]{0,38}[a-z0-9])?',
  /** A job run's id: `YYYYMMDDTHHMMSSZ-xxxx`, its UTC start and random hex digits (sorts by time). */
  jobRunId: '[0-9]{8}T[0-9]{6}Z-[0-9a-f]{4}',
  /** A compose service's name as Helvetia accepts it: it names image tags and network aliases. */
  composeService: '[a-z0-9][a-z0-9_-]{0,39}',
  /** A compose file's path inside the app's source (a `..` part is refused on its own). */
  composeFile: '[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*',
} as const

export type PatternName = keyof typeof PATTERNS

/** A pattern as a JavaScript RegExp that matches the whole value. */
export function whole(ere: string): RegExp {
  return new RegExp(`^(?:${ere})$`)
}
