/**
 * The lobby's "Headset or phone" card: what this browser offers (VR, AR or desktop only), and the
 * address with a QR code to open on another device on the same network. The QR code is the
 * server's SVG shown as an image, so it can never act as markup in the page.
 */
import { getConnectInfo, type ConnectInfo } from '../net/api';
import { describeXrModes, detectXrModes } from '../xr/xrModes';
import { h, replaceChildren } from './kit/dom';

/** Only web addresses are turned into links. */
function safeHttpUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

function renderConnect(info: ConnectInfo): Node[] {
  const href = safeHttpUrl(info.qr.url);
  if (!href) return [h('p', { class: 'muted' }, 'This server did not say where it can be reached.')];
  const img = h('img', { class: 'join-qr', 'data-testid': 'join-qr', alt: `QR code for ${href}`, width: '168', height: '168' });
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(info.qr.svg)}`;
  const nodes: Node[] = [
    img,
    h('p', {}, 'On a headset or phone on the same network, scan the code or open ', h('a', { href, 'data-testid': 'join-url' }, href), '.'),
  ];
  if (!info.secure) nodes.push(h('p', { class: 'muted' }, 'VR and AR need HTTPS: start the server with HTTPS=1 and accept its certificate once on the device.'));
  return nodes;
}

export function joinFromDeviceCard(): HTMLElement {
  const modes = h('p', { 'data-testid': 'xr-modes' }, 'Checking what this browser offers…');
  const connect = h('div', { class: 'join-device' });
  const card = h('section', { class: 'card' }, h('h2', {}, 'Headset or phone'), modes, connect);
  detectXrModes()
    .then((m) => (modes.textContent = describeXrModes(m, window.isSecureContext)))
    .catch(() => (modes.textContent = describeXrModes({ vr: false, ar: false }, window.isSecureContext)));
  getConnectInfo()
    .then((info) => replaceChildren(connect, ...renderConnect(info)))
    .catch(() => replaceChildren(connect, h('p', { class: 'muted' }, 'The address for other devices could not be loaded.')));
  return card;
}
