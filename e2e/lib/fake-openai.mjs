// A local server speaking OpenAI's chat-completions wire protocol (SSE chunks, then usage and [DONE]), streaming
// slowly so the browser test can watch an answer arrive token by token. With `holdAfter` it stops after that many
// tokens until the test calls release() (from then on it never holds again): a deterministic "answer half written"
// moment.
import { createServer } from 'node:http';

export async function fakeOpenAi({ tokens, delayMs, holdAfter = Infinity }) {
  const requests = [];
  let release = () => undefined;
  const gate = new Promise((resolve) => (release = resolve));
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', async () => {
      requests.push(JSON.parse(body || '{}'));
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      for (const [index, token] of tokens.entries()) {
        if (index === holdAfter) await gate;
        await new Promise((r) => setTimeout(r, delayMs));
        const chunk = { id: 'chatcmpl-e2e', object: 'chat.completion.chunk', created: 1, model: 'e2e-model',
          choices: [{ index: 0, delta: { content: token } }] };
        response.write(`data: ${JSON.stringify(chunk)}\n\n`);
      }
      const last = { id: 'chatcmpl-e2e', object: 'chat.completion.chunk', created: 1, model: 'e2e-model',
        choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
        usage: { prompt_tokens: 100, completion_tokens: tokens.length, total_tokens: 100 + tokens.length } };
      response.end(`data: ${JSON.stringify(last)}\n\ndata: [DONE]\n\n`);
    });
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    baseUrl: `http://127.0.0.1:${server.address().port}/v1`,
    requests,
    /** Lets held answers go on, and later ones run straight through. */
    release: () => release(),
    close: () => new Promise((done) => server.close(done)),
  };
}
