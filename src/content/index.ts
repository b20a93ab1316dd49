// Content script entry. Detection and the call button land with the click-to-call feature.
export {};
