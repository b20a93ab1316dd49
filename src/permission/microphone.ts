/**
 * Microphone permission for the extension's origin. The phone runs in an offscreen document, which
 * cannot show a permission prompt, so a visible extension page asks once on the user's click.
 */
import { ask } from '../ui/messaging';

export type MicrophoneStatus = 'unknown' | 'prompt' | 'granted' | 'denied' | 'asking' | 'no-device';

/** Reports the permission now and on every change (e.g. the user allows it in Chrome's settings). */
export async function watchMicrophonePermission(onChange: (status: MicrophoneStatus) => void): Promise<void> {
  try {
    const permission = await navigator.permissions.query({ name: 'microphone' as PermissionName });
    onChange(permission.state);
    permission.addEventListener('change', () => onChange(permission.state));
  } catch {
    onChange('prompt');
  }
}

/** Asks for the microphone (Chrome shows its prompt) and tells the background when it is allowed. */
export async function requestMicrophone(): Promise<MicrophoneStatus> {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    for (const track of stream.getTracks()) track.stop();
    await ask({ type: 'ui/mic-granted' });
    return 'granted';
  } catch (error) {
    return error instanceof DOMException && error.name === 'NotFoundError' ? 'no-device' : 'denied';
  }
}
