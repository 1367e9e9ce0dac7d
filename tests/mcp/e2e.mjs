// SPDX-License-Identifier: GPL-3.0-or-later
// QUALITY.md R10: the official MCP TypeScript SDK client lists and calls every tool of
// Crosstalk's MCP server, over stdio (`crosstalk mcp`) and over Streamable HTTP (`/mcp` on
// `crosstalk serve`), against the fake LLM server; bad arguments must give isError results.
//
//   CROSSTALK_EXECUTABLE=… CROSSTALK_FAKELLM_EXECUTABLE=… node tests/mcp/e2e.mjs
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const crosstalk = process.env.CROSSTALK_EXECUTABLE;
const fakellm = process.env.CROSSTALK_FAKELLM_EXECUTABLE;
assert.ok(crosstalk && fakellm, 'set CROSSTALK_EXECUTABLE and CROSSTALK_FAKELLM_EXECUTABLE');

const TOKEN = 'e2e-token-0123456789abcdef0123456789';
// Every reply of the fake server takes this long, so a round's progress notifications reach
// the client well before the next round's replies, and with them the result.
const REPLY_LATENCY_MS = 250;
const TOOLS = ['crosstalk_setup', 'crosstalk_run', 'crosstalk_status', 'crosstalk_list',
  'crosstalk_delete', 'load_system_prompt', 'crosstalk_health', 'crosstalk_transcript',
  'list_models'];
const children = [];

// Starts a program and resolves with the first stdout line that matches `pattern`.
function startListening(command, args, env, pattern) {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = pattern.exec(line);
      if (match) resolve({ child, url: match[1] });
    });
    child.on('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)));
  });
}

function ok(result, what) {
  assert.equal(result.isError ?? false, false, `${what}: ${JSON.stringify(result.content)}`);
  assert.ok(result.structuredContent, `${what}: structuredContent`);
  assert.ok(result.content[0].text.length > 0, `${what}: text`);
  return result.structuredContent;
}

function failed(result, what, named) {
  assert.equal(result.isError, true, `${what} must fail: ${JSON.stringify(result)}`);
  assert.equal(result.structuredContent, undefined, `${what}: no structuredContent`);
  assert.match(result.content[0].text, named, `${what}: the text names the problem`);
}

async function exercise(client, label) {
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((tool) => tool.name).sort(), [...TOOLS].sort());
  for (const tool of tools) assert.ok(tool.outputSchema, `${tool.name} has an output schema`);
  const call = (name, args, options) => client.callTool({ name, arguments: args }, undefined, options);

  const models = ok(await call('list_models', {}), 'list_models').models;
  assert.ok(models.some((model) => model.alias === 'big'));
  const health = ok(await call('crosstalk_health', {}), 'crosstalk_health');
  assert.equal(health.status, 'ok');
  assert.equal(typeof health.models.big, 'string');

  ok(await call('load_system_prompt', { model: 'big', prompt_file: 'alice.md' }), 'load_system_prompt');
  const setup = ok(await call('crosstalk_setup',
    { models: ['big', 'small'], paradigm: 'debate', iterations: 2, topic: `e2e over ${label}` }),
  'crosstalk_setup');
  assert.equal(setup.status, 'configured');
  const id = setup.session_id;

  const seen = [];
  const run = ok(await call('crosstalk_run', { session_id: id },
    { onprogress: (p) => { seen.push(p); }, timeout: 60000 }), 'crosstalk_run');
  assert.equal(run.status, 'completed');
  assert.equal(run.conversation.length, 4);
  // The server sends one per message, in order (tst_mcpserver counts them all). The SDK drops
  // those it reads together with the response (typescript-sdk issue 2580), so the last round's
  // may be lost; the first round's went out a whole reply latency before the second round's.
  const earlierRounds = 2 * (2 - 1); // participants × (rounds − 1)
  assert.ok(seen.length >= earlierRounds, `${label}: progress notifications ${JSON.stringify(seen)}`);
  assert.ok(seen.length <= 4, `${label}: one notification per message ${JSON.stringify(seen)}`);
  assert.deepEqual(seen.map((p) => p.progress), Array.from({ length: seen.length }, (_, i) => i + 1));

  const status = ok(await call('crosstalk_status', { session_id: id }), 'crosstalk_status');
  assert.equal(status.message_count, 4);
  const list = ok(await call('crosstalk_list', {}), 'crosstalk_list');
  assert.ok(list.sessions.some((session) => session.session_id === id));
  const transcript = ok(await call('crosstalk_transcript', { session_id: id, format: 'md' }),
    'crosstalk_transcript');
  assert.match(transcript.content, new RegExp(`e2e over ${label}`));

  const later = ok(await call('crosstalk_setup', { models: ['big', 'small'], iterations: 1, topic: 'T' }),
    'crosstalk_setup').session_id;
  const started = ok(await call('crosstalk_run', { session_id: later, wait: false }), 'run, wait false');
  assert.ok(['running', 'completed'].includes(started.status));
  for (let i = 0; i < 100; i += 1) {
    const now = ok(await call('crosstalk_status', { session_id: later }), 'crosstalk_status');
    if (now.status === 'completed') break;
    assert.notEqual(i, 99, 'the session run without waiting completes');
    await new Promise((resolve) => { setTimeout(resolve, 100); });
  }
  ok(await call('crosstalk_delete', { session_id: later }), 'crosstalk_delete');
  ok(await call('load_system_prompt', { model: 'big', enable: false }), 'load_system_prompt, disable');

  const unknown = '00000000-0000-4000-8000-000000000000';
  failed(await call('crosstalk_setup', { models: ['big'] }), 'setup with one model', /models/);
  failed(await call('crosstalk_setup', { models: ['big', 'small'], iterations: 1000 }),
    'setup with 1000 iterations', /iterations/);
  failed(await call('crosstalk_setup', { models: ['big', 'small'], system_prompts: { big: 'path:../../etc/passwd' } }),
    'a persona outside the library', /system_prompts/);
  failed(await call('crosstalk_run', { session_id: unknown }), 'run of an unknown session', /No session/);
  failed(await call('crosstalk_run', { session_id: id, wait: 'yes' }), 'run with wait "yes"', /wait/);
  failed(await call('crosstalk_status', {}), 'status without session_id', /session_id/);
  failed(await call('crosstalk_delete', { session_id: unknown }), 'delete of an unknown session', /No session/);
  failed(await call('load_system_prompt', { model: 'huge', prompt_file: 'alice.md' }), 'an unknown slot', /model/);
  failed(await call('load_system_prompt', { model: 'small', prompt_file: '/etc/passwd' }),
    'a prompt file outside the library', /prompt_file/);
  failed(await call('crosstalk_transcript', { session_id: id, format: 'pdf' }), 'a binary format', /format/);
  await assert.rejects(call('no_such_tool', {}), /-32602|Unknown tool/);

  ok(await call('crosstalk_delete', { session_id: id }), 'crosstalk_delete');
  await client.ping();
}

// `crosstalk mcp` without the SDK: a message split across writes, a parse error, a last line
// without its newline, then the end of input, which ends the process with 0. Every line on
// stdout must be a protocol message. The second ping's first bytes go with the first ping, and
// the rest only once the first ping was answered, so the server has read them apart.
async function rawStdio(env) {
  const child = spawn(crosstalk, ['mcp'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  let out = '';
  let firstAnswered;
  const answered = new Promise((resolve) => { firstAnswered = resolve; });
  child.stdout.on('data', (data) => {
    out += data;
    if (out.includes('\n')) firstAnswered();
  });
  const exited = new Promise((resolve) => { child.on('exit', resolve); });
  const ping = (id) => JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' });
  child.stdin.write(`${ping(1)}\n${ping(2).slice(0, 10)}`);
  await answered;
  child.stdin.write(`${ping(2).slice(10)}\n{"jsonrpc": "2.0", "id": 3, "method": "nope"}\nnot json\n`);
  child.stdin.end(ping(4));
  assert.equal(await exited, 0, 'the end of input ends crosstalk mcp with 0');
  const messages = out.trimEnd().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(messages.map((message) => message.id), [1, 2, 3, null, 4]);
  assert.deepEqual(messages.map((message) => message.error?.code),
    [undefined, undefined, -32601, -32700, undefined]);
}

const dir = mkdtempSync(join(tmpdir(), 'crosstalk-mcp-e2e-'));
try {
  const fake = await startListening(fakellm,
    ['--port', '0', '--latency-ms', String(REPLY_LATENCY_MS)], process.env,
    /^crosstalk-fakellm listening on (\S+)/);
  const env = {
    ...process.env,
    OPENAI_BASE_URL: `${fake.url}/v1`,
    OPENAI_API_KEY: 'sk-test-e2e',
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_DATA_HOME: join(dir, 'data'),
    // No secret service: the keychain fails at once instead of being asked.
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent',
    CROSSTALK_API_TOKEN: TOKEN,
    QT_QPA_PLATFORM: 'offscreen',
  };
  delete env.ANTHROPIC_API_KEY;

  await rawStdio(env);
  console.log('stdio framing: partial lines, parse errors and the end of input');

  const stdio = new Client({ name: 'crosstalk-e2e', version: '1.0.0' });
  await stdio.connect(new StdioClientTransport({ command: crosstalk, args: ['mcp'], env, stderr: 'inherit' }));
  assert.equal(stdio.getServerVersion().name, 'crosstalk');
  await exercise(stdio, 'stdio');
  await stdio.close();
  console.log('stdio: every tool answered');

  const serve = await startListening(crosstalk, ['serve', '--port', '0'], env,
    /^listening on (http\S+)/);
  const endpoint = new URL('/mcp', serve.url);
  const refused = new Client({ name: 'crosstalk-e2e', version: '1.0.0' });
  await assert.rejects(refused.connect(new StreamableHTTPClientTransport(endpoint)),
    /401|token|Unauthorized/i, 'no token, no MCP');
  const http = new Client({ name: 'crosstalk-e2e', version: '1.0.0' });
  await http.connect(new StreamableHTTPClientTransport(endpoint,
    { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }));
  assert.equal(http.getServerVersion().name, 'crosstalk');
  await exercise(http, 'http');
  await http.close();
  console.log('Streamable HTTP: every tool answered');
} finally {
  for (const child of children) child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
