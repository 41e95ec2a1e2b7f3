import { UserError } from '../../errors'
import { BASE_IMAGES, PINNED_TOOLS } from '../base-images'
import { cmd, copyList, header, lines, port } from '../dockerfile-text'
import type { DetectContext, Detector } from '../recipe'
import { pickImage } from '../versions'

/**
 * Python: requirements.txt, or pyproject.toml with uv.lock or poetry.lock (or neither: `pip install
 * .`). The version from .python-version, runtime.txt or `requires-python`. Started by the Procfile's
 * web line, or by gunicorn (Django's wsgi module, a Flask-style app.py/main.py/wsgi.py) or uvicorn
 * (main.py/app.py/asgi.py) when the dependencies name it; else NO_START_COMMAND says what to add.
 */

interface Install {
  manifests: string[]
  run: string[]
  evidence: string
  /** The dependencies' text, where the server packages are looked for. */
  deps: string
}

async function install(ctx: DetectContext): Promise<Install | null> {
  const { top, files } = ctx
  if (top.has('pyproject.toml') && top.has('uv.lock')) {
    return {
      manifests: ['pyproject.toml', 'uv.lock'],
      run: [
        `RUN pip install --no-cache-dir uv==${PINNED_TOOLS.uv} \\`,
        '  && uv export --frozen --no-dev --no-emit-project --no-hashes -o /tmp/requirements.txt \\',
        '  && pip install --no-cache-dir -r /tmp/requirements.txt',
      ],
      evidence: 'pyproject.toml with uv.lock: installed with uv',
      deps: (await files.read('uv.lock')) ?? '',
    }
  }
  if (top.has('pyproject.toml') && top.has('poetry.lock')) {
    return {
      manifests: ['pyproject.toml', 'poetry.lock'],
      run: [
        `RUN pip install --no-cache-dir poetry==${PINNED_TOOLS.poetry} \\`,
        '  && poetry config virtualenvs.create false \\',
        '  && poetry install --only main --no-root --no-interaction',
      ],
      evidence: 'pyproject.toml with poetry.lock: installed with Poetry',
      deps: (await files.read('poetry.lock')) ?? '',
    }
  }
  if (top.has('requirements.txt')) {
    return {
      manifests: ['requirements.txt'],
      run: ['RUN pip install --no-cache-dir -r requirements.txt'],
      evidence: 'requirements.txt: installed with pip',
      deps: (await files.read('requirements.txt')) ?? '',
    }
  }
  if (top.has('pyproject.toml')) {
    return {
      manifests: [],
      run: [],
      evidence:
        'pyproject.toml without a lock file: pip install . (add uv.lock or poetry.lock for repeatable builds)',
      deps: (await files.read('pyproject.toml')) ?? '',
    }
  }
  return null
}

async function versionRule(ctx: DetectContext): Promise<{ text: string; from: string } | null> {
  const { top, files } = ctx
  if (top.has('.python-version')) {
    // Its major.minor: the images pin minor releases (`3.11.9` → 3.11).
    const text = /^(\d+\.\d+)/.exec((await files.read('.python-version'))?.trim() ?? '')?.[1]
    if (text) return { text, from: '.python-version' }
  }
  if (top.has('runtime.txt')) {
    const m = /python-(\d+\.\d+)/.exec((await files.read('runtime.txt')) ?? '')
    if (m) return { text: m[1]!, from: 'runtime.txt' }
  }
  if (top.has('pyproject.toml')) {
    const m = /^\s*requires-python\s*=\s*["']([^"']+)["']/m.exec((await files.read('pyproject.toml')) ?? '')
    if (m) return { text: m[1]!, from: 'requires-python' }
  }
  return null
}

/** Whether the dependencies name `pkg` (requirements lines, a lock's `name = "pkg"`, pyproject's lists). */
function needs(deps: string, pkg: string): boolean {
  return new RegExp(`(^|["'\\s])${pkg}(\\[[^\\]]*\\])?\\s*(["'=<>~!;\\[]|$)`, 'im').test(deps)
}

async function startCommand(ctx: DetectContext, deps: string): Promise<{ start: string; evidence: string }> {
  const web = ctx.procfile.find((p) => p.name === 'web')
  if (web) return { start: web.command, evidence: `Procfile: web: ${web.command}` }
  const { top, files } = ctx
  const gunicorn = needs(deps, 'gunicorn')
  const uvicorn = needs(deps, 'uvicorn')
  if (top.has('manage.py') && gunicorn) {
    const m = /DJANGO_SETTINGS_MODULE["']\s*,\s*["']([A-Za-z_][\w]*)\.settings/.exec(
      (await files.read('manage.py')) ?? '',
    )
    if (m) {
      return {
        start: `gunicorn ${m[1]}.wsgi --bind 0.0.0.0:$PORT`,
        evidence: `manage.py (Django, ${m[1]}.settings) and gunicorn: gunicorn ${m[1]}.wsgi`,
      }
    }
  }
  const module = (names: string[]) => names.find((n) => top.has(`${n}.py`))
  if (uvicorn) {
    const m = module(['main', 'app', 'asgi'])
    if (m)
      return {
        start: `uvicorn ${m}:app --host 0.0.0.0 --port $PORT`,
        evidence: `${m}.py and uvicorn: uvicorn ${m}:app`,
      }
  }
  if (gunicorn) {
    const m = module(['app', 'main', 'wsgi'])
    if (m)
      return {
        start: `gunicorn ${m}:app --bind 0.0.0.0:$PORT`,
        evidence: `${m}.py and gunicorn: gunicorn ${m}:app`,
      }
  }
  throw new UserError(
    'NO_START_COMMAND',
    `A Python app in ${ctx.files.where}, but nothing says how to start it.`,
    'Add a Procfile with a line such as `web: gunicorn app:app --bind 0.0.0.0:$PORT`, or add gunicorn (WSGI: Django, Flask) or uvicorn (ASGI: FastAPI) to the dependencies with an app.py or main.py.',
  )
}

export const detectPython: Detector = async (ctx) => {
  const inst = await install(ctx)
  if (!inst) return null
  const start = await startCommand(ctx, inst.deps)
  const picked = pickImage(BASE_IMAGES.python, await versionRule(ctx))
  if ('error' in picked) {
    throw new UserError(
      'NO_BASE_IMAGE',
      `${picked.error}: no Python image Helvetia pins fits.`,
      'Allow one of those versions, or add a Dockerfile of your own.',
    )
  }
  const image = picked.image.image
  const dockerfile = lines(
    header('a Python app'),
    [
      `FROM ${image}`,
      'ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1',
      'WORKDIR /app',
    ],
    inst.manifests.length > 0
      ? [
          '# Dependencies first: this layer is reused until a manifest or the lock file changes.',
          copyList(inst.manifests, './'),
          ...inst.run,
        ]
      : null,
    ['COPY . .', ...(inst.manifests.length === 0 ? ['RUN pip install --no-cache-dir .'] : [])],
    ['RUN useradd --system --uid 10001 --home-dir /app app', 'USER app'],
    port(ctx.port),
    cmd(start.start),
  )
  return {
    stack: 'python',
    evidence: [inst.evidence, picked.evidence, start.evidence],
    dockerfile,
    baseImages: [image],
    start: start.start,
  }
}
