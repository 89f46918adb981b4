// engage-panel.js: the chat box and the Q/A help-center panel, loaded by widget.js on first need. It hands its
// mount() to the loader through a property of its own <script> element, so nothing is added to window.
import { Answer, ApiError, Citation, getJson, sendEvent, streamAnswer } from './api';
import { format, Strings, stringsFor } from './i18n';
import { renderMarkdown } from './markdown';
import { Host, Panel, PANEL_EXPORT, svgIcon } from './shared';
import { PANEL_CSS } from './styles';

const ICONS = {
  close: 'M18 6 6 18M6 6l12 12',
  fresh: 'M12 5v14M5 12h14',
  send: 'M5 12h14M13 6l6 6-6 6',
  up: 'M7 10v11M7 10l4-8a3 3 0 0 1 3 3v4h5a2 2 0 0 1 2 2.3l-1.2 7A2 2 0 0 1 17.8 21H7M3 10h4v11H3z',
  down: 'M17 14V3M17 14l-4 8a3 3 0 0 1-3-3v-4H5a2 2 0 0 1-2-2.3l1.2-7A2 2 0 0 1 6.2 3H17M21 14h-4V3h4z',
};

/** A message as GET /agent/conversation returns it (and as a finished answer is shown). */
interface Message {
  id: string | null;
  role: 'user' | 'assistant';
  content: string;
  citations: Citation[];
  handoff?: boolean;
  feedback?: 'up' | 'down' | null;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (cls) element.className = cls;
  if (text !== undefined) element.textContent = text;
  return element;
}

function iconButton(path: string, label: string, cls = 'ib'): HTMLButtonElement {
  const button = el('button', cls);
  button.type = 'button';
  button.setAttribute('aria-label', label);
  button.title = label;
  button.appendChild(svgIcon(path));
  return button;
}

function safeUrl(url: string | null | undefined): string | null {
  return url && /^(https?:\/\/|mailto:)/i.test(url) ? url : null;
}

/** One conversation with the agent: the message log, sending, streaming, retries, feedback. */
class Conversation {
  conversationId: string | null = null;
  busy = false;
  private generation = 0;
  private blockedUntil = 0;
  private controller: AbortController | null = null;
  private timer = 0;
  private freshNext = false;

  constructor(
    private readonly host: Host,
    private readonly t: () => Strings,
    readonly log: HTMLElement,
    private readonly status: HTMLElement,
    private readonly changed: () => void,
  ) {
    log.addEventListener('click', (event) => {
      const link = (event.target as Element).closest('a');
      if (link && link.href) sendEvent(host, { type: 'link_clicked', value: link.href, conversationId: this.conversationId });
    });
  }

  get started(): boolean {
    return !!this.log.querySelector('.user');
  }

  /** Clears the log; with {@code startFresh} the next question opens a new conversation on the server too. */
  reset(startFresh: boolean): void {
    this.freshNext = startFresh;
    this.generation++;
    if (this.controller) this.controller.abort();
    this.conversationId = null;
    this.busy = false;
    this.log.replaceChildren();
    this.say('', null);
  }

  /** Shows the visitor's current conversation after a reload (the server keeps it for the memory's lifetime). */
  async resume(): Promise<void> {
    const generation = this.generation;
    const identity = this.host.identity();
    try {
      const data = await getJson<{ conversationId: string | null; messages: Message[] }>(this.host,
        'agent/conversation?endUserId=' + encodeURIComponent(this.host.endUserId()),
        identity && identity.userHash ? { 'X-Engage-User-Hash': identity.userHash } : undefined);
      if (generation !== this.generation || this.started || !data.conversationId) return;
      this.conversationId = data.conversationId;
      for (const message of data.messages) {
        if (message.role === 'user') this.addUser(message.content);
        else this.addBot().finish(message);
      }
      this.changed();
    } catch {
      // nothing to resume is not worth a message; a real problem shows on the first question
    }
  }

  send(text: string): boolean {
    const question = text.trim();
    if (!question || this.busy || this.host.problem) return false;
    if (Date.now() < this.blockedUntil) return false;
    this.addUser(question);
    this.host.emit('message', { role: 'user', text: question });
    this.ask(question, this.freshNext);
    this.freshNext = false;
    return true;
  }

  private ask(question: string, fresh: boolean): void {
    const generation = this.generation;
    const host = this.host;
    const identity = host.identity();
    const bot = this.addBot();
    let received = '';
    let painting = false;
    const paint = () => {
      painting = false;
      if (generation === this.generation && received) bot.text(received);
    };
    this.busy = true;
    this.say('', null);
    this.changed();
    this.controller = new AbortController();
    streamAnswer(host, {
      endUserId: host.endUserId(),
      message: question,
      conversationId: this.conversationId || undefined,
      newConversation: fresh || undefined,
      userHash: identity ? identity.userHash : undefined,
      name: identity ? identity.name : undefined,
      email: identity ? identity.email : undefined,
    }, {
      start: (ids) => {
        if (generation === this.generation) this.conversationId = ids.conversationId;
      },
      token: (piece) => {
        received += piece;
        if (!painting) {
          painting = true;
          requestAnimationFrame(paint);
        }
      },
    }, this.controller.signal).then((answer: Answer) => {
      if (generation !== this.generation) return;
      this.conversationId = answer.conversationId;
      bot.finish({ id: answer.messageId, role: 'assistant', content: answer.answer, citations: answer.citations,
        handoff: answer.handoff });
      host.emit('message', { role: 'assistant', text: answer.answer, conversationId: answer.conversationId,
        messageId: answer.messageId, citations: answer.citations, handoff: answer.handoff });
    }, (error: unknown) => {
      if (generation !== this.generation) return;
      bot.root.remove();
      this.fail(error, () => this.ask(question, fresh));
    }).then(() => {
      if (generation !== this.generation) return;
      this.busy = false;
      this.changed();
    });
  }

  fail(error: unknown, retry: (() => void) | null): void {
    const e = error instanceof ApiError ? error : new ApiError('failed', 0, String(error), 0);
    const t = this.t();
    this.host.emit('error', { kind: e.kind, status: e.status, detail: e.detail });
    if (e.kind === 'slow') {
      // honour Retry-After: nothing is sent again before the server said so
      this.blockedUntil = Date.now() + Math.max(1, e.retryAfter) * 1000;
      const tick = () => {
        const left = Math.ceil((this.blockedUntil - Date.now()) / 1000);
        if (left > 0) {
          this.say(format(t.slow, { s: left }), null, true);
          this.timer = window.setTimeout(tick, 1000);
        } else {
          this.say('', retry, false, t.retry);
        }
      };
      window.clearTimeout(this.timer);
      tick();
    } else if (e.kind === 'offline') {
      this.say(t.offline, retry, true);
    } else if (e.kind === 'failed') {
      this.say(t.failed, retry, true);
    } else {
      this.say(e.kind === 'denied' ? t.unavailable + ' ' + e.detail : e.detail, null, true);
    }
  }

  /** The status line under the log: empty, a notice, or an error with an optional retry. */
  say(text: string, retry: (() => void) | null, error = false, retryLabel?: string): void {
    this.status.className = error ? 'st err' : 'st';
    this.status.setAttribute('role', error ? 'alert' : 'status');
    this.status.replaceChildren(text);
    if (retry) {
      const again = el('button', 'ln', retryLabel || this.t().retry);
      again.type = 'button';
      again.onclick = () => {
        this.say('', null);
        retry();
      };
      this.status.appendChild(again);
    }
  }

  private addUser(text: string): void {
    const message = el('div', 'msg user');
    message.append(el('span', 'sr', this.t().you + ': '), el('div', 'b', text));
    this.log.appendChild(message);
    this.scroll();
  }

  addBot() {
    const t = this.t();
    const root = el('div', 'msg bot');
    const bubble = el('div', 'b');
    const dots = el('span', 'dots');
    dots.setAttribute('role', 'img');
    dots.setAttribute('aria-label', t.typing);
    dots.append(el('i'), el('i'), el('i'));
    bubble.appendChild(dots);
    root.setAttribute('aria-busy', 'true');
    root.append(el('span', 'sr', t.assistant + ': '), bubble);
    this.log.appendChild(root);
    this.scroll();
    return {
      root,
      text: (markdown: string) => {
        renderMarkdown(markdown, bubble);
        this.scroll();
      },
      finish: (message: Message) => {
        renderMarkdown(message.content, bubble);
        root.removeAttribute('aria-busy');
        this.decorate(root, message);
        this.scroll();
      },
    };
  }

  /** Sources, feedback and the way to a person under a finished answer. */
  private decorate(root: HTMLElement, message: Message): void {
    const t = this.t();
    const host = this.host;
    if (message.citations && message.citations.length) {
      const sources = el('div', 'src');
      const list = el('ol');
      const shown: string[] = [];
      for (const citation of message.citations) {
        // two passages of one source are one source to the visitor
        if (shown.indexOf(citation.sourceId) >= 0) continue;
        shown.push(citation.sourceId);
        const url = safeUrl(citation.url);
        const item = el('li');
        if (url) {
          const a = el('a', '', citation.title);
          a.href = url;
          a.target = '_blank';
          a.rel = 'noopener noreferrer';
          item.appendChild(a);
        } else {
          item.textContent = citation.title;
        }
        item.title = citation.snippet || '';
        list.appendChild(item);
      }
      sources.append(el('span', '', t.sources), list);
      root.appendChild(sources);
    }
    if (message.id) {
      const actions = el('div', 'act');
      actions.setAttribute('role', 'group');
      actions.setAttribute('aria-label', t.helpful);
      const buttons = (['up', 'down'] as const).map((value) => {
        const button = iconButton(ICONS[value], value === 'up' ? t.up : t.down);
        button.setAttribute('aria-pressed', String(message.feedback === value));
        button.onclick = () => {
          if (button.getAttribute('aria-pressed') === 'true') return;
          buttons.forEach((b) => b.setAttribute('aria-pressed', String(b === button)));
          sendEvent(host, { type: 'feedback', value, messageId: message.id, conversationId: this.conversationId });
          host.emit('feedback', { messageId: message.id, value });
          this.say(t.thanks, null);
        };
        return button;
      });
      actions.append(...buttons);
      root.appendChild(actions);
    }
    if (message.handoff) {
      const url = safeUrl(host.config && host.config.handoffUrl);
      const human = url ? el('a', 'hm', t.human) : el('button', 'hm', t.human);
      if (human instanceof HTMLAnchorElement && url) {
        human.href = url;
        human.target = '_blank';
        human.rel = 'noopener noreferrer';
      }
      human.addEventListener('click', (event) => {
        event.stopPropagation(); // not a link_clicked: it is its own event
        sendEvent(host, { type: 'handoff_requested', conversationId: this.conversationId, value: url || undefined });
        host.emit('handoff', { conversationId: this.conversationId });
        if (!url) human.replaceWith(el('div', 'src', t.handedOff));
      });
      root.appendChild(human);
    }
  }

  private scroll(): void {
    const scroller = this.log.classList.contains('log') && this.log.scrollHeight > this.log.clientHeight ? this.log : null;
    if (scroller) scroller.scrollTop = scroller.scrollHeight;
  }
}

function mount(host: Host): Panel {
  const t = () => stringsFor(host.lang);
  const qa = host.format === 'qa';
  const style = el('style');
  style.textContent = PANEL_CSS;
  host.root.insertBefore(style, host.root.firstChild);

  const section = el('section', 'p ' + (qa ? 'qa' : 'chat') + (host.inline ? '' : ' fl'));
  section.setAttribute('role', host.inline ? 'region' : 'dialog');
  if (!host.inline) section.setAttribute('aria-modal', 'true');
  section.setAttribute('aria-labelledby', 'engage-title');
  const header = el('header', 'hd');
  const title = el('h2');
  title.id = 'engage-title';
  header.appendChild(title);
  const fresh = iconButton(ICONS.fresh, '');
  if (!qa) header.appendChild(fresh);
  const closeButton = iconButton(ICONS.close, '');
  if (!host.inline) header.appendChild(closeButton);
  closeButton.onclick = () => host.requestClose();

  const log = el('div', 'log');
  log.setAttribute('role', 'log');
  log.setAttribute('aria-live', 'polite');
  const status = el('div', 'st');
  const chips = el('div', 'sg');
  chips.setAttribute('role', 'group');
  const conversation = new Conversation(host, t, log, status, () => update());

  // chat: greeting, log, suggestions, composer. Q/A: search box, answers, matching articles.
  const greeting = el('div', 'msg bot');
  const greetingBubble = el('div', 'b');
  greeting.appendChild(greetingBubble);
  const composer = el('form', 'cp');
  const input = el('textarea');
  input.rows = 1;
  const send = iconButton(ICONS.send, '', 'send');
  send.type = 'submit';
  composer.append(input, send);
  const search = el('form', 'qs');
  search.setAttribute('role', 'search');
  const query = el('input');
  query.type = 'search';
  query.autocomplete = 'off';
  const askButton = el('button', 'ask');
  askButton.type = 'submit';
  search.append(query, askButton);
  const results = el('ul', 'rs');
  const footer = el('div', 'ft');

  if (qa) section.append(header, search, status, log, chips, results, footer);
  else section.append(header, log, chips, status, composer, footer);
  host.mount.appendChild(section);

  const greet = () => {
    const text = host.config && host.config.greeting;
    if (!qa && text && !conversation.started) {
      renderMarkdown(text, greetingBubble);
      if (log.firstChild !== greeting) log.insertBefore(greeting, log.firstChild);
    }
  };

  function update() {
    const strings = t();
    const config = host.config;
    section.lang = host.lang;
    title.textContent = (config && (config.title || config.name)) || '';
    fresh.setAttribute('aria-label', strings.newChat);
    fresh.title = strings.newChat;
    closeButton.setAttribute('aria-label', strings.close);
    closeButton.title = strings.close;
    input.placeholder = strings.placeholder;
    input.setAttribute('aria-label', strings.placeholder);
    send.setAttribute('aria-label', strings.send);
    send.title = strings.send;
    query.placeholder = strings.search;
    query.setAttribute('aria-label', strings.search);
    askButton.textContent = strings.ask;
    chips.setAttribute('aria-label', strings.suggestions);
    footer.textContent = strings.powered;
    const suggestions = (config && config.suggestedQuestions) || [];
    if (chips.childElementCount !== suggestions.length) {
      chips.replaceChildren(...suggestions.map((question) => {
        const chip = el('button', 'chip', question);
        chip.type = 'button';
        chip.onclick = () => ask(question);
        return chip;
      }));
    }
    chips.hidden = conversation.started || (qa && !!query.value.trim());
    const disabled = !!host.problem || host.preview;
    input.disabled = query.disabled = send.disabled = askButton.disabled = disabled;
    fresh.disabled = conversation.busy;
    fresh.hidden = disabled;
    if (host.problem) conversation.say(strings.unavailable + ' ' + host.problem.detail, null, true);
    greet();
  }

  function ask(question: string) {
    if (qa) {
      query.value = question;
      runSearch();
    }
    if (conversation.send(question) && !qa) {
      input.value = '';
      input.focus(); // the suggestion chips are gone now: focus must not fall out of the dialog
    }
  }

  composer.onsubmit = (event) => {
    event.preventDefault();
    if (conversation.send(input.value)) {
      input.value = '';
      input.style.height = '';
    }
  };
  input.onkeydown = (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      composer.requestSubmit();
    }
  };
  input.oninput = () => {
    input.style.height = '';
    input.style.height = Math.min(input.scrollHeight + 2, 120) + 'px';
  };
  fresh.onclick = () => {
    if (conversation.conversationId) {
      sendEvent(host, { type: 'conversation_end', conversationId: conversation.conversationId });
    }
    // the next question must not continue the conversation the server remembers
    conversation.reset(true);
    update();
    input.focus();
  };

  // Q/A: matching articles as the visitor types; "Ask" (or Enter) generates an answer
  let searchTimer = 0;
  let searching: AbortController | null = null;
  const runSearch = () => {
    window.clearTimeout(searchTimer);
    if (searching) searching.abort();
    const q = query.value.trim();
    update();
    if (q.length < 2) {
      results.replaceChildren();
      conversation.say('', null);
      return;
    }
    searching = new AbortController();
    const signal = searching.signal;
    getJson<{ results: { title: string; url: string | null; snippet: string; answer: string | null }[] }>(host,
      'agent/search?k=5&q=' + encodeURIComponent(q), undefined, signal).then((data) => {
      if (signal.aborted) return;
      results.replaceChildren(...data.results.map((result) => {
        const item = el('li');
        const details = el('details');
        const body = el('div', 'b');
        renderMarkdown(result.answer || result.snippet, body);
        details.append(el('summary', '', result.title), body);
        const url = safeUrl(result.url);
        if (url) {
          const more = el('a', '', url);
          more.href = url;
          more.target = '_blank';
          more.rel = 'noopener noreferrer';
          body.appendChild(el('p')).appendChild(more);
        }
        item.appendChild(details);
        return item;
      }));
      conversation.say(data.results.length ? format(t().results, { n: data.results.length }) : t().noResults, null);
    }, (error: unknown) => {
      if (!signal.aborted && !(error instanceof DOMException)) conversation.fail(error, runSearch);
    });
  };
  query.oninput = () => {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(runSearch, 180);
  };
  search.onsubmit = (event) => {
    event.preventDefault();
    if (conversation.send(query.value)) update();
  };
  results.addEventListener('click', (event) => {
    const link = (event.target as Element).closest('a');
    if (link) sendEvent(host, { type: 'link_clicked', value: link.href });
  });

  // a modal dialog keeps keyboard focus inside and closes on Escape
  section.addEventListener('keydown', (event) => {
    if (host.inline) return;
    if (event.key === 'Escape') {
      event.stopPropagation();
      host.requestClose();
    } else if (event.key === 'Tab') {
      const focusable = Array.prototype.filter.call(
        section.querySelectorAll('button:not([disabled]),a[href],textarea:not([disabled]),input:not([disabled]),summary'),
        (node: HTMLElement) => node.getClientRects().length > 0,
      ) as HTMLElement[];
      if (!focusable.length) return;
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      const active = host.root.activeElement;
      if (event.shiftKey && (active === first || !section.contains(active))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && active === last) {
        event.preventDefault();
        first.focus();
      }
    }
  });

  update();
  if (!host.preview && !host.problem) conversation.resume(); // a refused key or origin has nothing to resume
  if (host.inline) sendEvent(host, { type: 'widget_open' });

  return {
    open() {
      if (!host.inline) sendEvent(host, { type: 'widget_open' });
      (qa ? query : input).focus();
    },
    close() {
      sendEvent(host, { type: 'widget_close', conversationId: conversation.conversationId });
    },
    ask,
    identityChanged() {
      conversation.reset(false);
      update();
      conversation.resume();
    },
    configChanged() {
      update();
    },
  };
}

const self = document.currentScript as unknown as Record<string, unknown> | null;
if (self) self[PANEL_EXPORT] = mount;
