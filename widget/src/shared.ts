// Types shared by the loader (widget.js) and the lazily loaded panel (engage-panel.js).

/** GET /agent/config: the agent's public widget settings. */
export interface WidgetConfig {
  agentId: string;
  name: string;
  greeting: string | null;
  language: string;
  mode: 'chat' | 'qa' | 'inline';
  title: string;
  primaryColor: string;
  position: 'bottom-right' | 'bottom-left';
  launcherIcon?: 'chat' | 'help' | 'sparkles';
  handoffUrl?: string | null;
  suggestedQuestions: string[];
  identityVerification: boolean;
  conversationTtlSeconds?: number;
}

/** What the site told us about a signed-in visitor through Engage('identify', ...). */
export interface Identity {
  userId: string;
  userHash?: string;
  name?: string;
  email?: string;
}

/** A problem the loader met before the panel existed (wrong key, disallowed origin). */
export interface HostProblem {
  status: number;
  detail: string;
}

/** Storage that never throws (Safari private mode, storage disabled, sandboxed frames). */
export interface SafeStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/** The loader's side of the contract: everything the panel needs from the page. */
export interface Host {
  key: string;
  base: string;
  /** Namespace for storage keys: a hash of the widget key, so two widgets on a page never share state. */
  ns: string;
  root: ShadowRoot;
  /** Element inside the shadow root that receives the panel. */
  mount: HTMLElement;
  inline: boolean;
  /** The portal's live preview: no network, no storage; the config comes from Engage('preview', config). */
  preview: boolean;
  format: 'chat' | 'qa';
  config: WidgetConfig | null;
  problem: HostProblem | null;
  storage: SafeStorage;
  lang: string;
  endUserId(): string;
  identity(): Identity | null;
  emit(event: string, data?: unknown): void;
  /** Asks the loader to close (floating mode): it hides the panel and gives focus back to the launcher. */
  requestClose(): void;
}

/** The panel's side of the contract. */
export interface Panel {
  open(): void;
  close(): void;
  ask(question: string): void;
  identityChanged(): void;
  configChanged(): void;
}

export type MountPanel = (host: Host) => Panel;

/** Property on the panel's own <script> element through which it hands over mount(); no window globals. */
export const PANEL_EXPORT = '__engagePanel';

export const PREFERS_LANGS = ['en', 'de', 'fr', 'es', 'zh'];

/** The widget's language: the agent's unless it says "auto", then the browser's, then English. */
export function pickLanguage(agentLanguage: string | undefined, browser: readonly string[]): string {
  const candidates = agentLanguage && agentLanguage !== 'auto' ? [agentLanguage] : [...browser];
  for (const tag of candidates) {
    const primary = tag.toLowerCase().split('-')[0];
    if (PREFERS_LANGS.indexOf(primary) >= 0) return primary;
  }
  return 'en';
}

/** Black or white, whichever reads better on the given #rrggbb colour (WCAG relative luminance). */
export function contrastText(hex: string): string {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return luminance > 0.4 ? '#111827' : '#ffffff';
}

/** An inline SVG icon (24×24 stroke path), hidden from screen readers: buttons carry their own labels. */
export function svgIcon(path: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const icon = document.createElementNS(ns, 'svg');
  icon.setAttribute('viewBox', '0 0 24 24');
  icon.setAttribute('aria-hidden', 'true');
  const shape = document.createElementNS(ns, 'path');
  shape.setAttribute('d', path);
  icon.appendChild(shape);
  return icon;
}
