import {type ChildProcess, execFileSync, spawn} from 'node:child_process'
import path from 'node:path'

// Real processes of app/e2eserve beside the Playwright config's own: the specs that need several
// PCs of one office (the live spec, the postes' spec) start them on ports of their own.

/** Builds app/e2eserve into dir once; returns the binary's path. */
export function buildServer(dir: string): string {
  const bin = path.join(dir, 'e2eserve')
  execFileSync('go', ['build', '-o', bin, './app/e2eserve'], {cwd: '..', stdio: 'inherit'})
  return bin
}

/** Starts the server on 127.0.0.1:port with flags, env added to this process's. */
export function serve(bin: string, port: number, flags: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(bin, ['-addr', `127.0.0.1:${port}`, ...flags], {cwd: '..', stdio: 'inherit', env: {...process.env, ...env}})
}

/** Waits until the server on port answers. */
export async function up(port: number) {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise(r => setTimeout(r, 200))) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return
    } catch { /* not listening yet */ }
  }
  throw new Error(`e2eserve on port ${port} did not start`)
}

/** Stops the servers and waits for their end. */
export async function stop(servers: ChildProcess[]) {
  await Promise.all(servers.splice(0).map(s => new Promise(done => { s.once('exit', done); s.kill() })))
}
