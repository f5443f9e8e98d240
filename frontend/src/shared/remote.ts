/**
 * A poste secondaire (ADR 0010) binds one Go struct, app.RemoteService, which forwards every call
 * to the poste principal. This shim fills window.go.<pkg>.<Type>.<Method> with forwarders for the
 * methods of the poste's role, so that the screens (and the generated wailsjs bindings, which
 * read window.go at each call) work as on the principal. It runs before the first render, since
 * main.tsx chooses the room by what is bound. Wails' runtime builds window.go once, at its own
 * start, before this module, and only adds to it (`window.go[pkg] = window.go[pkg] || {}`): the
 * forwarders are not overwritten.
 */
type Remote = {
  Methods(): Promise<string[]>
  Call(name: string, args: unknown[]): Promise<unknown>
}

type Bound = Record<string, Record<string, Record<string, unknown>>>

/** Installs the forwarders when this window is a poste secondaire; does nothing otherwise. */
export async function installRemote(w: {go?: Bound} = window as unknown as {go?: Bound}): Promise<void> {
  const remote = w.go?.app?.RemoteService as unknown as Remote | undefined
  if (!remote) return
  const names = await remote.Methods()
  for (const name of names) {
    const [pkg, type, method] = name.split('.')
    const types = (w.go![pkg] ??= {})
    const methods = (types[type] ??= {})
    methods[method] = (...args: unknown[]) => remote.Call(name, args)
  }
}

