// Safe Markdown for answers: the subset models write in chat (paragraphs, headings, lists, quotes, code, emphasis,
// links), turned into DOM nodes. Nothing is ever parsed as HTML (text always goes in as text nodes) and links keep
// only http(s) and mailto targets, so a model or a poisoned document cannot inject markup or script.
// Written here rather than taken from npm because marked + DOMPurify alone would be twice the widget's size budget.

const INLINE = new RegExp(
  [
    '`([^`]+)`', // 1 code
    '\\*\\*([^*]+)\\*\\*|__([^_]+)__', // 2, 3 strong
    '\\*([^*\\s][^*]*)\\*|\\b_([^_\\s][^_]*)_\\b', // 4, 5 emphasis
    '\\[([^\\]]+)\\]\\(((?:https?:\\/\\/|mailto:)[^)\\s]+)\\)', // 6, 7 link
    '(https?:\\/\\/[^\\s<>()]*[^\\s<>().,;:!?\'"])', // 8 bare URL
  ].join('|'),
  'g',
);

/** The "[1]" / "[1, 3]" passage markers: the sources are listed under the answer instead. */
const MARKERS = /\s?\[\d{1,3}(?:\s*,\s*\d{1,3})*\](?!\()/g;

function link(href: string, text: string): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  a.target = '_blank';
  a.rel = 'noopener noreferrer nofollow ugc';
  return a;
}

function inline(text: string, into: Node): void {
  let last = 0;
  // a regex of its own per call: emphasis recurses, and a shared lastIndex would restart the outer scan forever
  const pattern = new RegExp(INLINE.source, 'g');
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m.index > last) into.appendChild(document.createTextNode(text.slice(last, m.index)));
    last = pattern.lastIndex;
    if (m[1] !== undefined) {
      const code = document.createElement('code');
      code.textContent = m[1];
      into.appendChild(code);
    } else if (m[2] !== undefined || m[3] !== undefined) {
      const strong = document.createElement('strong');
      inline(m[2] !== undefined ? m[2] : m[3], strong);
      into.appendChild(strong);
    } else if (m[4] !== undefined || m[5] !== undefined) {
      const em = document.createElement('em');
      inline(m[4] !== undefined ? m[4] : m[5], em);
      into.appendChild(em);
    } else if (m[6] !== undefined) {
      into.appendChild(link(m[7], m[6]));
    } else {
      into.appendChild(link(m[8], m[8]));
    }
  }
  if (last < text.length) into.appendChild(document.createTextNode(text.slice(last)));
}

function block(tag: string, text: string | null, into: Node): HTMLElement {
  const element = document.createElement(tag);
  if (text !== null) inline(text, element);
  into.appendChild(element);
  return element;
}

/** Replaces the children of {@code into} with the rendering of {@code source}. */
export function renderMarkdown(source: string, into: HTMLElement): void {
  const fragment = document.createDocumentFragment();
  const lines = source.replace(MARKERS, '').replace(/\r\n?/g, '\n').split('\n');
  let paragraph: string[] = [];
  let list: HTMLElement | null = null;
  const flush = () => {
    if (paragraph.length) {
      const p = block('p', null, fragment);
      paragraph.forEach((line, i) => {
        if (i) p.appendChild(document.createElement('br'));
        inline(line, p);
      });
    }
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const item = /^\s*(?:([-*+•])|(\d{1,3})[.)])\s+(.*)$/.exec(line);
    if (/^\s*```/.test(line)) {
      flush();
      list = null;
      const code: string[] = [];
      for (i++; i < lines.length && !/^\s*```/.test(lines[i]); i++) code.push(lines[i]);
      const pre = block('pre', null, fragment);
      block('code', null, pre).textContent = code.join('\n');
    } else if (item) {
      flush();
      const tag = item[1] ? 'ul' : 'ol';
      if (!list || list.tagName.toLowerCase() !== tag) list = block(tag, null, fragment);
      block('li', item[3], list);
    } else if (/^#{1,6}\s+/.test(line)) {
      flush();
      list = null;
      block('p', null, fragment).appendChild(block('strong', line.replace(/^#+\s+/, ''), document.createDocumentFragment()));
    } else if (/^>\s?/.test(line)) {
      flush();
      list = null;
      block('blockquote', line.replace(/^>\s?/, ''), fragment);
    } else if (!line.trim()) {
      flush();
      list = null;
    } else if (list && /^\s{2,}\S/.test(line) && list.lastChild) {
      list.lastChild.appendChild(document.createTextNode(' '));
      inline(line.trim(), list.lastChild); // a wrapped list item
    } else {
      list = null;
      paragraph.push(line);
    }
  }
  flush();
  into.replaceChildren(fragment);
}
