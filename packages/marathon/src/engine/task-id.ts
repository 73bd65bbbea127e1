// Marathon's classic task IDs: `<app id without the leading '/', '/' → '_'>.<uuid>`,
// e.g. `/prod/web` → `prod_web.6f1c...`. The app is recovered from the part
// before the last '.', which a uuid never contains.

/** The task ID for a new instance of `appId` with the given unique suffix. */
export function taskIdFor(appId: string, uuid: string): string {
  return `${appId.replace(/^\//, '').replace(/\//g, '_')}.${uuid}`;
}

/** The safe-path prefix of an app's task IDs (`prod_web`). */
export function taskIdPrefix(appId: string): string {
  return appId.replace(/^\//, '').replace(/\//g, '_');
}
