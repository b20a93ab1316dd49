// The SDK ships no typings; this declares only the part of @kandy-io/cpaas-sdk 4.9.0 the seam uses.
declare module '@kandy-io/cpaas-sdk' {
  export interface KandyCallObject {
    id: string;
    direction: 'outgoing' | 'incoming';
    state: string;
    localHold: boolean;
    remoteHold: boolean;
    localTracks: string[];
    remoteTracks: string[];
    remoteParticipant?: { displayNumber?: string; displayName?: string };
    startTime?: number;
    endTime?: number;
    mediaConstraints?: { audio?: boolean; video?: boolean };
    /** The server's session id (the CPaaS build keeps it on the call state). */
    wrtcsSessionId?: string;
  }
  export interface KandyTrackObject {
    id: string;
    kind: 'audio' | 'video';
    muted: boolean;
    state: string;
    streamId: string;
    label?: string;
  }
  export interface KandyError {
    code?: string | number;
    message?: string;
  }
  export interface KandyMedia {
    audio: boolean;
    video?: boolean;
    audioOptions?: { deviceId?: { exact?: string; ideal?: string } };
  }
  export interface KandyClient {
    setTokens(tokens: { accessToken: string; idToken: string }): void;
    getUserInfo(): { username?: string; accessToken?: string; identity?: string };
    on(event: string, listener: (params: Record<string, unknown>) => void): void;
    off(event: string, listener: (params: Record<string, unknown>) => void): void;
    services: {
      subscribe(services: string[], type?: string): void;
      unsubscribe(services: string[], type?: string): void;
      getSubscriptions(): { subscribed: string[]; available: string[]; isPending: boolean };
    };
    connection: {
      getSocketState(platform?: string): { connected?: boolean } | undefined;
    };
    call: {
      make(destination: string, media: KandyMedia, options?: Record<string, unknown>): string;
      answer(callId: string, media: KandyMedia): void;
      reject(callId: string): void;
      end(callId: string): void;
      hold(callId: string): void;
      unhold(callId: string): void;
      sendDTMF(callId: string, tone: string, duration?: number, intertoneGap?: number): void;
      getById(callId: string): KandyCallObject | undefined;
      getAll(): KandyCallObject[];
      getStats(callId: string, trackId?: string): void;
      addMedia(callId: string, media: Partial<KandyMedia>): void;
      removeMedia(callId: string, trackIds: string[]): void;
      directTransfer?(callId: string, destination: string): void;
    };
    media: {
      getTrackById(trackId: string): KandyTrackObject | undefined;
      renderTracks(trackIds: string[], cssSelector: string, options?: { speakerId?: string }): void;
      removeTracks(trackIds: string[], cssSelector: string): void;
      muteTracks(trackIds: string[]): void;
      unmuteTracks(trackIds: string[]): void;
    };
  }
  const Kandy: { create(config: Record<string, unknown>): KandyClient };
  export default Kandy;
}
