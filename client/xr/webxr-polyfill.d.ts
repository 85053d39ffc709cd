// The polyfill ships without type declarations; this is the part the client uses.
declare module 'webxr-polyfill' {
  export default class WebXRPolyfill {
    constructor(config?: Record<string, unknown>);
  }
}
