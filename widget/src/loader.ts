// widget.js: the part of the widget every host page loads. It stays small and does only what must happen at
// once: read the <script> tag, paint the launcher (from the cached config when there is one, so the first paint
// already has the agent's colours), fetch the fresh config and install the Engage(...) API. The panel (chat,
// Q/A, markdown, i18n) is engage-panel.js, fetched when the browser is idle or when the visitor reaches for it.
import {
  contrastText, Host, Identity, MountPanel, PANEL_EXPORT, Panel, pickLanguage, SafeStorage, svgIcon, WidgetConfig,
} from './shared';

declare const __PANEL_VERSION__: string;

type Command = (...args: unknown[]) => unknown;
interface EngageApi extends Command {
  q?: ArrayLike<unknown>[];
  /** The widgets on this page: Engage(...) commands go to each of them. */
  _w?: Command[];
}

const ICONS: Record<string, string> = {
  chat: 'M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z',
  help: 'M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20zM9.1 9a3 3 0 0 1 5.8 1c0 2-3 3-3 3M12 17h.01',
  sparkles: 'M12 3l1.9 5.1L19 10l-5.1 1.9L12 17l-1.9-5.1L5 10l5.1-1.9zM19 15l.9 2.1L22 18l-2.1.9L19 21l-.9-2.1L16 18l2.1-.9z',
  close: 'M18 6 6 18M6 6l12 12',
};

// launcher labels; the panel carries the rest of the strings
const LABELS: Record<string, [string, string, string, string]> = {
  en: ['Open chat', 'Open help', 'Close', 'The chat could not be loaded. Retry'],
  de: ['Chat öffnen', 'Hilfe öffnen', 'Schließen', 'Der Chat konnte nicht geladen werden. Erneut versuchen'],
  fr: ['Ouvrir le chat', "Ouvrir l'aide", 'Fermer', "Le chat n'a pas pu être chargé. Réessayer"],
  es: ['Abrir el chat', 'Abrir la ayuda', 'Cerrar', 'No se pudo cargar el chat. Reintentar'],
  zh: ['打开聊天', '打开帮助', '关闭', '聊天加载失败，点击重试'],
};

const CSS =
  ':host{all:initial}' +
  '.w{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;color:#111827}' +
  '.l{position:fixed;bottom:20px;right:20px;z-index:2147483000;width:56px;height:56px;margin:0;padding:0;border:0;' +
  'border-radius:50%;background:var(--ep);color:var(--ec);cursor:pointer;display:flex;align-items:center;' +
  'justify-content:center;box-shadow:0 4px 14px rgba(0,0,0,.25);transition:transform .15s}' +
  '.l:hover{transform:scale(1.06)}.l:focus-visible{outline:3px solid var(--ep);outline-offset:3px}' +
  '.left .l{right:auto;left:20px}' +
  '.l svg{width:28px;height:28px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}' +
  '.m[hidden]{display:none}.inline .m{min-height:var(--emh,0)}' +
  '.lf{position:fixed;bottom:86px;right:20px;z-index:2147483000;max-width:260px;padding:10px 14px;border:0;' +
  'border-radius:8px;background:#fff;color:#111827;box-shadow:0 4px 14px rgba(0,0,0,.2);cursor:pointer;font:inherit}' +
  '.left .lf{right:auto;left:20px}' +
  '@media (prefers-reduced-motion:reduce){.l{transition:none}}';

function safeStorage(kind: string | null): SafeStorage {
  let store: Storage | null = null;
  try {
    store = kind === 'none' ? null : kind === 'session' ? window.sessionStorage : window.localStorage;
    if (store) store.getItem('engage');
  } catch {
    store = null; // disabled or sandboxed: keep state for this page view only
  }
  const memory: Record<string, string> = {};
  return {
    get(key) {
      try {
        return store ? store.getItem(key) : key in memory ? memory[key] : null;
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        if (store) store.setItem(key, value);
        else memory[key] = value;
      } catch {
        memory[key] = value; // quota exceeded
      }
    },
    remove(key) {
      try {
        if (store) store.removeItem(key);
      } catch {
        /* nothing to remove */
      }
      delete memory[key];
    },
  };
}

function hash(text: string): string {
  let h = 5381;
  for (let i = 0; i < text.length; i++) h = ((h << 5) + h + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}

function randomId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let id = 'v_';
  for (let i = 0; i < bytes.length; i++) id += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  return id;
}

function start(script: HTMLScriptElement): Command | null {
  const key = (script.getAttribute('data-engage-key') || '').trim();
  if (!key) {
    console.warn('[Engage] The widget script needs a data-engage-key attribute');
    return null;
  }
  // the API lives next to widget.js, also behind a reverse proxy that mounts Engage under a path
  const base = script.src.replace(/[?#].*$/, '').replace(/[^/]*$/, '');
  const modeAttribute = script.getAttribute('data-engage-mode');
  const targetSelector = script.getAttribute('data-engage-target');
  const preview = script.hasAttribute('data-engage-preview');
  const storage = safeStorage(preview ? 'none' : script.getAttribute('data-engage-storage'));
  const ns = hash(key);
  const configKey = 'engage:' + ns + ':config';
  const listeners: Record<string, ((data: unknown) => void)[]> = {};
  let identity: Identity | null = null;
  let config: WidgetConfig | null = null;
  try {
    config = JSON.parse(storage.get(configKey) || 'null');
  } catch {
    config = null;
  }

  const element = document.createElement('engage-widget');
  element.style.cssText = 'all:initial!important;display:block!important';
  const root = element.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = CSS;
  const wrapper = document.createElement('div');
  wrapper.className = 'w';
  const mount = document.createElement('div');
  mount.className = 'm';
  wrapper.appendChild(mount);
  root.append(style, wrapper);

  let launcher: HTMLButtonElement | null = null;
  let inline = false;
  let opened = false;
  let panel: Panel | null = null;
  let loading: Promise<MountPanel> | null = null;
  let failure: HTMLButtonElement | null = null;

  const format = (): 'chat' | 'qa' => ((modeAttribute || (config && config.mode)) === 'qa' ? 'qa' : 'chat');
  const lang = () => pickLanguage(config ? config.language : undefined, navigator.languages || [navigator.language]);
  const labels = () => LABELS[lang()];

  const host: Host = {
    key,
    base,
    ns,
    root,
    mount,
    inline,
    preview,
    format: format(),
    config,
    problem: null,
    storage,
    lang: lang(),
    endUserId() {
      if (identity) return identity.userId;
      const visitorKey = 'engage:' + ns + ':visitor';
      let visitor = storage.get(visitorKey);
      if (!visitor) {
        visitor = randomId();
        storage.set(visitorKey, visitor);
      }
      return visitor;
    },
    identity: () => identity,
    emit(event, data) {
      for (const listener of listeners[event] || []) {
        try {
          listener(data);
        } catch (e) {
          console.warn('[Engage] an Engage("on", "' + event + '") callback failed', e);
        }
      }
    },
    requestClose: () => close(),
  };

  const theme = () => {
    const color = config && /^#[0-9a-f]{6}$/i.test(config.primaryColor) ? config.primaryColor : '#2563eb';
    wrapper.style.setProperty('--ep', color);
    wrapper.style.setProperty('--ec', contrastText(color));
    wrapper.classList.toggle('left', !!config && config.position === 'bottom-left');
    wrapper.lang = lang();
    host.config = config;
    host.lang = lang();
    host.format = format();
    if (launcher) paintLauncher();
  };

  const paintLauncher = () => {
    if (!launcher) return;
    const icon = opened ? 'close' : (config && config.launcherIcon) || (format() === 'qa' ? 'help' : 'chat');
    launcher.replaceChildren(svgIcon(ICONS[icon] || ICONS.chat));
    launcher.setAttribute('aria-label', opened ? labels()[2] : labels()[format() === 'qa' ? 1 : 0]);
    launcher.setAttribute('aria-expanded', String(opened));
  };

  const loadPanel = (): Promise<MountPanel> => {
    if (!loading) {
      loading = new Promise<MountPanel>((resolve, reject) => {
        const tag = document.createElement('script');
        tag.src = base + 'engage-panel.js?v=' + __PANEL_VERSION__;
        tag.async = true;
        if (script.nonce) tag.nonce = script.nonce; // pages with a nonce-based CSP
        tag.onload = () => {
          const exported = (tag as unknown as Record<string, MountPanel | undefined>)[PANEL_EXPORT];
          if (exported) resolve(exported);
          else reject(new Error('engage-panel.js did not load'));
        };
        tag.onerror = () => reject(new Error('engage-panel.js could not be fetched'));
        (document.head || document.documentElement).appendChild(tag);
      });
      loading.catch(() => {
        loading = null; // the next attempt fetches again
      });
    }
    return loading;
  };

  // the panel is built for one format: on a first visit it waits for the config (or its first failure)
  let configSettled: () => void = () => undefined;
  const configKnown = config || preview ? Promise.resolve() : new Promise<void>((r) => (configSettled = r));
  const withPanel = (then: (p: Panel) => void) => {
    if (panel) {
      then(panel);
      return;
    }
    Promise.all([loadPanel(), configKnown]).then(
      ([mountPanel]) => {
        if (failure) failure.remove();
        failure = null;
        if (!panel) panel = mountPanel(host);
        then(panel);
      },
      () => {
        if (failure || (!inline && !opened)) return;
        failure = document.createElement('button');
        failure.type = 'button';
        failure.className = 'lf';
        failure.setAttribute('role', 'alert');
        failure.textContent = labels()[3];
        failure.onclick = () => withPanel(then);
        wrapper.appendChild(failure);
      },
    );
  };

  function open() {
    if (inline) {
      withPanel((p) => p.open());
      return;
    }
    if (opened) return;
    opened = true;
    mount.hidden = false;
    paintLauncher();
    withPanel((p) => {
      if (opened) p.open();
    });
    host.emit('open');
  }

  function close() {
    if (inline || !opened) return;
    opened = false;
    const hadFocus = root.activeElement !== null && root.activeElement !== launcher;
    if (panel) panel.close();
    mount.hidden = true;
    if (failure) failure.remove();
    failure = null;
    paintLauncher();
    if (hadFocus && launcher) launcher.focus();
    host.emit('close');
  }

  // data-engage-mode outranks the agent's mode; before the config is known (a first visit), an element marked
  // data-engage-inline is taken as the page's wish, so an inline agent's page never shows a launcher meanwhile
  const wantsInline = () => (modeAttribute ? modeAttribute === 'inline' : !config || config.mode === 'inline');
  const inlineTarget = () => targetSelector ? document.querySelector(targetSelector)
    : wantsInline() ? document.querySelector('[data-engage-inline]') : null;
  const place = () => {
    const target = inlineTarget();
    if (targetSelector && !target) console.warn('[Engage] No element matches data-engage-target="' + targetSelector + '"');
    if (!targetSelector && !target && (modeAttribute || config && config.mode) === 'inline') {
      console.warn('[Engage] Inline mode needs data-engage-target or an element with data-engage-inline');
    }
    if (target) {
      inline = host.inline = true;
      wrapper.classList.add('inline');
      // reserve the panel's height before its code arrives: no layout shift on the host page
      wrapper.style.setProperty('--emh', format() === 'qa' ? '220px' : '460px');
      if (launcher) launcher.remove();
      launcher = null;
      mount.hidden = false;
      if (element.parentNode !== target) target.appendChild(element);
      withPanel(() => undefined);
      return;
    }
    inline = host.inline = false;
    wrapper.classList.remove('inline');
    mount.hidden = !opened;
    if (!launcher) {
      launcher = document.createElement('button');
      launcher.type = 'button';
      launcher.className = 'l';
      launcher.onclick = () => (opened ? close() : open());
      // fetch the panel as soon as the visitor reaches for the launcher
      launcher.onpointerenter = launcher.onfocus = () => {
        loadPanel().catch(() => undefined);
      };
      wrapper.appendChild(launcher);
      paintLauncher();
    }
    if (element.parentNode !== document.body) document.body.appendChild(element);
  };

  theme();
  let placed = false;
  const ready = () => {
    placed = true;
    place();
    // the panel's code is fetched when the page is idle, so the first open is instant
    const idle = (window as unknown as { requestIdleCallback?: (f: () => void, o: object) => void }).requestIdleCallback;
    const prefetch = () => loadPanel().catch(() => undefined);
    if (idle) idle(prefetch, { timeout: 4000 });
    else setTimeout(prefetch, 1500);
  };
  // the launcher is painted at once (without a cached config, in the default colours: most agents show one);
  // an inline target has to wait until the page that holds it is parsed
  const needsParsedPage = !!targetSelector || (!!config && wantsInline());
  if (document.body && (!needsParsedPage || document.readyState !== 'loading')) ready();
  else document.addEventListener('DOMContentLoaded', ready);

  let attempts = 0;
  const fetchConfig = (): Promise<void> => fetch(base + 'agent/config', { headers: { 'X-Engage-Key': key }, credentials: 'omit' })
    .then(async (response) => {
      if (response.status === 429 || response.status >= 500) {
        // busy or failing for now: keep the cached config (if any) and ask again later, as the server says
        const wait = parseInt(response.headers.get('Retry-After') || '', 10);
        if (++attempts < 5) setTimeout(fetchConfig, (isNaN(wait) ? 5 * attempts : wait) * 1000);
        return;
      }
      if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        host.problem = { status: response.status, detail: body.detail || response.statusText };
        storage.remove(configKey);
        console.warn('[Engage] ' + host.problem.detail);
        if (panel) panel.configChanged();
        return;
      }
      const fresh = (await response.json()) as WidgetConfig;
      config = fresh;
      storage.set(configKey, JSON.stringify(fresh));
      theme();
      // the mode may move the widget between launcher and inline element; otherwise it stays untouched
      if (placed && !!inlineTarget() !== inline) place();
      if (panel) panel.configChanged();
      host.emit('ready', { agentId: fresh.agentId });
    })
    .catch(() => {
      // offline: a cached config keeps the widget usable; the panel reports the network on the first question
    })
    .then(() => configSettled());
  // starting a fetch costs the main thread a few milliseconds: it waits until the launcher has been painted
  // (the frame after the next animation frame), unless the page is hidden and will not paint at all
  if (preview) {
    // settings come from the page (the portal's editor), not from the server
  } else if (document.hidden) fetchConfig();
  else requestAnimationFrame(() => setTimeout(fetchConfig, 0));

  return (command: unknown, argument?: unknown, extra?: unknown) => {
    switch (command) {
      case 'open':
        return open();
      case 'close':
        return close();
      case 'toggle':
        return opened ? close() : open();
      case 'ask':
        if (typeof argument !== 'string' || !argument.trim()) return;
        open();
        return withPanel((p) => p.ask(argument));
      case 'identify': {
        const user = argument as Identity | null;
        if (!user || typeof user.userId !== 'string' || !user.userId.trim()) {
          console.warn('[Engage] identify needs {userId: "..."}');
          return;
        }
        const changed = !identity || identity.userId !== user.userId;
        identity = { userId: user.userId.trim(), userHash: user.userHash, name: user.name, email: user.email };
        if (changed && panel) panel.identityChanged();
        return;
      }
      case 'preview': // the portal's editor shows unsaved settings
        if (!preview || !argument || typeof argument !== 'object') return;
        config = argument as WidgetConfig;
        theme();
        if (document.body) place();
        if (panel) panel.configChanged();
        return;
      case 'reset': // the visitor signed out: forget who they were and start afresh
        identity = null;
        storage.remove('engage:' + ns + ':visitor');
        if (panel) panel.identityChanged();
        return;
      case 'on':
      case 'off':
        if (typeof argument !== 'string' || typeof extra !== 'function') return;
        listeners[argument] = (listeners[argument] || []).filter((f) => f !== extra);
        if (command === 'on') listeners[argument].push(extra as (data: unknown) => void);
        return;
      default:
        console.warn('[Engage] Unknown command ' + String(command));
    }
  };
}

(function () {
  const script = document.currentScript as HTMLScriptElement | null;
  if (!script || !script.src) return;
  const w = window as unknown as { Engage?: EngageApi };
  const existing = w.Engage;
  if (existing && existing._w && existing.q === undefined && (existing as unknown as { _v?: number })._v) {
    // a second widget on the page: commands reach both
    const widget = start(script);
    if (widget) existing._w.push(widget);
    return;
  }
  const queued = existing && existing.q ? Array.prototype.slice.call(existing.q) : [];
  const widgets: Command[] = [];
  const api: EngageApi = function (...args: unknown[]) {
    let result: unknown;
    for (const widget of widgets) result = widget(...args);
    return result;
  };
  api._w = widgets;
  (api as unknown as { _v: number })._v = 1;
  const widget = start(script);
  if (!widget) return;
  widgets.push(widget);
  w.Engage = api;
  // calls the page made through the stub snippet before widget.js arrived
  for (const args of queued) api(...Array.prototype.slice.call(args));
})();
