/** The device lists of the options page: real devices only, with a name even before permission. */

export interface DeviceChoice {
  deviceId: string;
  label: string;
}

export interface DeviceLike {
  deviceId: string;
  kind: string;
  label: string;
}

/** Chrome lists its own "default" and "communications" entries besides the real devices; "System default" stands for them. */
const PSEUDO_DEVICES = new Set(['default', 'communications', '']);

/**
 * The choices for one kind, in the browser's order. Without permission the browser gives no labels;
 * those devices are numbered. A chosen device that is gone (unplugged) stays listed, so the choice shows.
 */
export function deviceChoices(devices: readonly DeviceLike[], kind: 'audioinput' | 'audiooutput', chosen: string, name: (index: number) => string, missing: string): DeviceChoice[] {
  const choices = devices
    .filter((device) => device.kind === kind && !PSEUDO_DEVICES.has(device.deviceId))
    .map((device, index) => ({ deviceId: device.deviceId, label: device.label || name(index + 1) }));
  if (chosen && !choices.some((choice) => choice.deviceId === chosen)) choices.push({ deviceId: chosen, label: missing });
  return choices;
}
