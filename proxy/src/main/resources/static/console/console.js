// Pinhole web console: plain script, no build step. Every piece of data comes from the admin API
// (/api) with the admin token the person signed in with, kept in this tab's sessionStorage.
// Text from the server is only ever set as textContent: nothing it sends can become markup.
'use strict';

const TOKEN_KEY = 'pinhole.admin.token';
const REFRESH_MS = 3000;
let refreshTimer = null;

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** A DOM element: attributes (on* are listeners) and children (strings become text). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.substring(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Calls the admin API; a 401 signs out, any other error throws with the API's own message. */
async function api(method, path, body) {
  const headers = {'Authorization': 'Bearer ' + token(), 'Accept': 'application/json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (response.status === 401) {
    signOut('The token was refused: sign in again.');
    throw new ApiError(401, 'signed out');
  }
  if (!response.ok) {
    throw new ApiError(response.status, (json && json.message) || (response.status + ' ' + response.statusText));
  }
  return json;
}

function showMessage(text, kind) {
  const message = document.getElementById('message');
  message.textContent = text || '';
  message.className = kind || 'error';
}

function fail(error) {
  if (error instanceof ApiError && error.status === 401) return;
  showMessage(error.message);
}

function signOut(why) {
  sessionStorage.removeItem(TOKEN_KEY);
  stopRefresh();
  document.getElementById('nav').hidden = true;
  document.getElementById('page').hidden = true;
  document.getElementById('page').replaceChildren();
  document.getElementById('sign-in').hidden = false;
  document.getElementById('sign-in-error').textContent = why || '';
  showMessage('');
}

async function signIn(event) {
  event.preventDefault();
  const value = document.getElementById('token').value.trim();
  const response = await fetch('/api/overview', {headers: {'Authorization': 'Bearer ' + value}});
  if (response.status !== 200) {
    document.getElementById('sign-in-error').textContent =
        response.status === 401 ? 'Wrong token.' : 'The proxy answered ' + response.status + '.';
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, value);
  document.getElementById('token').value = '';
  start();
}

function start() {
  document.getElementById('sign-in').hidden = true;
  document.getElementById('nav').hidden = false;
  document.getElementById('page').hidden = false;
  route();
}

function stopRefresh() {
  if (refreshTimer) clearInterval(refreshTimer);
  refreshTimer = null;
}

/** Pages that show live state redraw themselves every few seconds while shown. */
function refreshing(draw) {
  stopRefresh();
  refreshTimer = setInterval(() => draw().catch(fail), REFRESH_MS);
  return draw();
}

const PAGES = {
  overview: showOverview,
  domains: showDomains,
  registrations: showRegistrations,
  routes: showRoutes,
  relays: showRelays,
  calls: showCalls,
  cdrs: showCdrs,
  ladder: showLadder,
};

function route() {
  if (!token()) {
    signOut();
    return;
  }
  const hash = location.hash.replace(/^#/, '') || 'overview';
  const slash = hash.indexOf('/');
  const name = slash < 0 ? hash : hash.substring(0, slash);
  const argument = slash < 0 ? null : decodeURIComponent(hash.substring(slash + 1));
  const page = PAGES[name] || showOverview;
  for (const link of document.querySelectorAll('nav a')) {
    link.classList.toggle('current', link.id === 'nav-' + name);
  }
  stopRefresh();
  showMessage('');
  document.getElementById('page').replaceChildren(el('p', {class: 'muted'}, 'Loading...'));
  page(argument).catch(fail);
}

function render(...children) {
  document.getElementById('page').replaceChildren(...children);
}

/** A table of rows; columns are [heading, row => cell content]. */
function table(id, columns, rows, empty) {
  if (rows.length === 0) return el('p', {id, class: 'muted'}, empty || 'None.');
  return el('table', {id},
      el('thead', {}, el('tr', {}, columns.map(([heading]) => el('th', {}, heading)))),
      el('tbody', {}, rows.map(row => el('tr', {}, columns.map(([, cell]) => el('td', {}, cell(row)))))));
}

function when(instant) {
  return instant ? new Date(instant).toLocaleString() : '';
}

function card(id, label, value) {
  return el('div', {class: 'card', id}, el('div', {class: 'value'}, value), el('div', {class: 'label'}, label));
}

function ladderLink(callId) {
  return el('a', {href: '#ladder/' + encodeURIComponent(callId), class: 'ladder-link'}, 'SIP ladder');
}

// ---- overview -----------------------------------------------------------------------------

async function showOverview() {
  return refreshing(async () => {
    const o = await api('GET', '/api/overview');
    const asr = o.answerSeizureRatio === null ? '-' : Math.round(o.answerSeizureRatio * 100) + ' %';
    const paths = Object.entries(o.mediaPaths);
    render(el('h1', {}, 'Overview'),
        el('div', {class: 'cards'},
            card('active-calls', 'calls now (' + o.answeredCalls + ' answered)', o.activeCalls),
            card('calls-per-second', 'new calls per second', o.callsPerSecond.toFixed(2)),
            card('asr', 'answer-seizure ratio (' + o.endedCalls + ' ended)', asr),
            card('registrations', 'registrations', o.registrations)),
        el('h2', {}, 'Media paths in use'),
        table('media-paths', [['path', p => p[0]], ['calls', p => p[1]]], paths, 'No calls now.'),
        el('h2', {}, 'Relay load'),
        table('relay-load', [['relay', r => r.name], ['status', r => r.status], ['weight', r => r.weight],
          ['calls', r => r.activeCalls]], o.relays, 'No relay in the pool.'),
        el('h2', {}, 'Recent errors'),
        table('recent-errors', [['at', e => when(e.at)], ['level', e => e.level], ['logger', e => e.logger],
          ['message', e => e.message]], o.recentErrors, 'No warnings or errors.'));
  });
}

// ---- domains and users --------------------------------------------------------------------

async function showDomains(selected) {
  const domains = await api('GET', '/api/domains');
  const domain = selected || (domains.length ? domains[0].name : null);
  const users = domain ? await api('GET', '/api/domains/' + encodeURIComponent(domain) + '/users') : [];
  const addDomain = el('form', {class: 'inline', id: 'add-domain', onsubmit: async event => {
    event.preventDefault();
    const name = event.target.elements.name.value.trim();
    try {
      await api('POST', '/api/domains', {name});
      // pushState, not location.hash: a hashchange would redraw the page and wipe the message
      history.pushState(null, '', '#domains/' + encodeURIComponent(name));
      await showDomains(name);
      showMessage('Domain ' + name + ' added.', 'ok');
    } catch (e) {
      fail(e);
    }
  }}, el('label', {}, 'New domain', el('input', {name: 'name', id: 'domain-name', required: true})),
  el('button', {type: 'submit', id: 'add-domain-button'}, 'Add domain'));
  const children = [el('h1', {}, 'Domains and users'), addDomain,
    table('domains', [['domain', d => el('a', {href: '#domains/' + encodeURIComponent(d.name)}, d.name)],
      ['enabled', d => d.enabled ? 'yes' : 'no'], ['created', d => when(d.createdAt)]], domains, 'No domain yet.')];
  if (domain) {
    children.push(el('h2', {}, 'Users of ' + domain),
        el('form', {class: 'inline', id: 'add-user', onsubmit: async event => {
          event.preventDefault();
          const f = event.target.elements;
          const body = {username: f.username.value.trim(), password: f.password.value};
          if (f.displayName.value.trim()) body.displayName = f.displayName.value.trim();
          try {
            await api('POST', '/api/domains/' + encodeURIComponent(domain) + '/users', body);
            await showDomains(domain);
            showMessage('User ' + body.username + '@' + domain + ' added.', 'ok');
          } catch (e) {
            fail(e);
          }
        }}, el('label', {}, 'User name', el('input', {name: 'username', id: 'user-name', required: true})),
        el('label', {}, 'Password (8 or more)', el('input', {name: 'password', id: 'user-password', type: 'password',
          required: true, minlength: 8, autocomplete: 'new-password'})),
        el('label', {}, 'Display name', el('input', {name: 'displayName', id: 'user-display-name'})),
        el('button', {type: 'submit', id: 'add-user-button'}, 'Add user')),
        table('users', [['user', u => u.username + '@' + u.domain], ['display name', u => u.displayName || ''],
          ['enabled', u => u.enabled ? 'yes' : 'no'], ['created', u => when(u.createdAt)]], users, 'No user yet.'));
  }
  render(...children);
}

// ---- registrations ------------------------------------------------------------------------

async function showRegistrations() {
  return refreshing(async () => {
    const bindings = await api('GET', '/api/registrations');
    render(el('h1', {}, 'Registrations'),
        table('registrations-table', [['address of record', b => b.aor], ['contact', b => b.contact],
          ['from', b => b.sourceAddress + ':' + b.sourcePort + ' ' + b.transport],
          ['user agent', b => b.userAgent || ''], ['expires in', b => b.expiresIn + ' s'],
          ['keepalive', b => b.keepalive || '']], bindings, 'No phone is registered.'));
  });
}

// ---- routes -------------------------------------------------------------------------------

async function showRoutes() {
  const page = await api('GET', '/api/routes?limit=1000');
  const routes = page.items;
  render(el('h1', {}, 'Routes'),
      el('p', {class: 'muted'}, 'Where the redirect server and the proxy send calls for a user, a domain or a number prefix'
          + (page.total > routes.length ? ' (the first ' + routes.length + ' of ' + page.total + ')' : '') + '.'),
      el('form', {class: 'inline', id: 'add-route', onsubmit: async event => {
        event.preventDefault();
        const f = event.target.elements;
        const body = {targetUri: f.targetUri.value.trim(), kind: f.kind.value};
        for (const name of ['matchUser', 'matchDomain', 'matchPrefix']) {
          if (f[name].value.trim()) body[name] = f[name].value.trim();
        }
        if (f.priority.value) body.priority = Number(f.priority.value);
        try {
          await api('POST', '/api/routes', body);
          await showRoutes();
          showMessage('Route added.', 'ok');
        } catch (e) {
          fail(e);
        }
      }}, el('label', {}, 'User', el('input', {name: 'matchUser'})),
      el('label', {}, 'Domain', el('input', {name: 'matchDomain'})),
      el('label', {}, 'Number prefix', el('input', {name: 'matchPrefix'})),
      el('label', {}, 'Target URI', el('input', {name: 'targetUri', required: true, placeholder: 'sip:203.0.113.5:5060'})),
      el('label', {}, 'Kind', el('select', {name: 'kind'}, el('option', {}, 'proxy'), el('option', {}, 'trunk'))),
      el('label', {}, 'Priority (q)', el('input', {name: 'priority', type: 'number', min: 0, max: 1, step: 0.1})),
      el('button', {type: 'submit'}, 'Add route')),
      table('routes', [['id', r => r.id],
        ['match', r => [r.matchUser, r.matchDomain && '@' + r.matchDomain, r.matchPrefix && 'prefix ' + r.matchPrefix]
            .filter(Boolean).join(' ')],
        ['target', r => r.targetUri], ['kind', r => r.kind], ['priority', r => r.priority], ['weight', r => r.weight],
        ['enabled', r => r.enabled ? 'yes' : 'no'],
        ['', r => el('button', {type: 'button', onclick: async () => {
          if (!confirm('Delete route ' + r.id + '?')) return;
          try {
            await api('DELETE', '/api/routes/' + r.id);
            await showRoutes();
          } catch (e) {
            fail(e);
          }
        }}, 'Delete')]], routes, 'No route.'));
}

// ---- relays -------------------------------------------------------------------------------

async function showRelays() {
  return refreshing(async () => {
    const relays = await api('GET', '/api/relays');
    const patch = (relay, body) => async () => {
      try {
        await api('PATCH', '/api/relays/' + encodeURIComponent(relay.name), body);
        await showRelays();
      } catch (e) {
        fail(e);
      }
    };
    if (document.getElementById('add-relay') && document.activeElement
        && document.activeElement.closest('#add-relay')) {
      return; // do not redraw the form under someone typing in it
    }
    render(el('h1', {}, 'Relays'),
        el('form', {class: 'inline', id: 'add-relay', onsubmit: async event => {
          event.preventDefault();
          const f = event.target.elements;
          const body = {name: f.name.value.trim(), controlHost: f.controlHost.value.trim(),
            controlPort: Number(f.controlPort.value)};
          if (f.weight.value) body.weight = Number(f.weight.value);
          try {
            await api('POST', '/api/relays', body);
            event.target.reset();
            showMessage('Relay ' + body.name + ' added.', 'ok');
          } catch (e) {
            fail(e);
          }
        }}, el('label', {}, 'Name', el('input', {name: 'name', required: true})),
        el('label', {}, 'Control host', el('input', {name: 'controlHost', required: true})),
        el('label', {}, 'Control port', el('input', {name: 'controlPort', type: 'number', required: true, min: 1, max: 65535})),
        el('label', {}, 'Weight', el('input', {name: 'weight', type: 'number', min: 0})),
        el('button', {type: 'submit'}, 'Add relay')),
        table('relays', [['name', r => r.name], ['control', r => r.controlHost + ':' + r.controlPort],
          ['status', r => r.status], ['media', r => (r.mediaTransports || []).join(', ')],
          ['weight', r => r.weight], ['calls', r => r.activeCalls],
          ['last error', r => r.lastError ? r.lastError + ' (' + when(r.lastErrorAt) + ')' : ''],
          ['', r => r.id === null ? el('span', {class: 'muted'}, 'configured default') : [
            el('button', {type: 'button', onclick: patch(r, {draining: !r.draining})}, r.draining ? 'Undrain' : 'Drain'),
            ' ',
            el('button', {type: 'button', onclick: patch(r, {enabled: !r.enabled})}, r.enabled ? 'Disable' : 'Enable')]]],
        relays, 'No relay.'));
  });
}

// ---- live calls ---------------------------------------------------------------------------

async function showCalls() {
  return refreshing(async () => {
    const calls = await api('GET', '/api/calls');
    render(el('h1', {}, 'Live calls'),
        table('calls', [['caller', c => c.caller], ['callee', c => c.callee], ['state', c => c.state],
          ['started', c => when(c.startedAt)], ['media', c => c.mediaPath + (c.relay ? ' via ' + c.relay.name : '')],
          ['Call-ID', c => el('code', {}, c.callId)],
          ['', c => [ladderLink(c.callId), ' ',
            c.state === 'ANSWERED' ? el('button', {type: 'button', class: 'hang-up', 'data-call-id': c.callId,
              onclick: async () => {
                try {
                  await api('DELETE', '/api/calls/' + encodeURIComponent(c.callId));
                  showMessage('Call ' + c.callId + ' hung up.', 'ok');
                } catch (e) {
                  fail(e);
                }
              }}, 'Hang up') : null]]], calls, 'No call in progress.'));
  });
}

// ---- CDR search ---------------------------------------------------------------------------

async function showCdrs() {
  const results = el('div', {id: 'cdr-results'});
  const form = el('form', {class: 'inline', id: 'cdr-search', onsubmit: event => {
    event.preventDefault();
    search(0).catch(fail);
  }}, el('label', {}, 'Party', el('input', {name: 'party', id: 'cdr-party'})),
  el('label', {}, 'From', el('input', {name: 'from', type: 'datetime-local'})),
  el('label', {}, 'To', el('input', {name: 'to', type: 'datetime-local'})),
  el('label', {}, 'Outcome', el('input', {name: 'outcome', placeholder: 'answered, busy, ...'})),
  el('label', {}, 'Media path', el('input', {name: 'mediaPath', placeholder: 'DIRECT, RELAY_UDP'})),
  el('label', {}, 'Call-ID', el('input', {name: 'callId'})),
  el('button', {type: 'submit', id: 'cdr-search-button'}, 'Search'));
  const limit = 50;

  async function search(offset) {
    const f = form.elements;
    const query = new URLSearchParams({limit: String(limit), offset: String(offset)});
    for (const name of ['party', 'outcome', 'mediaPath', 'callId']) {
      if (f[name].value.trim()) query.set(name, f[name].value.trim());
    }
    for (const name of ['from', 'to']) {
      if (f[name].value) query.set(name, new Date(f[name].value).toISOString());
    }
    const page = await api('GET', '/api/cdrs?' + query);
    const pager = el('p', {class: 'muted', id: 'cdr-total'}, page.total + ' found, ' + (page.total ? (offset + 1) : 0)
        + '-' + (offset + page.items.length) + ' shown ',
    offset > 0 ? el('button', {type: 'button', onclick: () => search(Math.max(0, offset - limit)).catch(fail)}, 'Newer') : null,
    offset + page.items.length < page.total
      ? el('button', {type: 'button', onclick: () => search(offset + limit).catch(fail)}, 'Older') : null);
    results.replaceChildren(pager, table('cdrs', [['started', c => when(c.startedAt)], ['caller', c => c.caller],
      ['callee', c => c.callee], ['outcome', c => c.outcome], ['SIP', c => c.sipStatus || ''],
      ['media', c => c.mediaPath || ''],
      ['duration', c => c.answeredAt && c.endedAt
        ? Math.round((new Date(c.endedAt) - new Date(c.answeredAt)) / 1000) + ' s' : ''],
      ['Call-ID', c => el('code', {}, c.callId)], ['', c => ladderLink(c.callId)]], page.items, 'No call found.'));
  }

  render(el('h1', {}, 'CDR search'), form, results);
  return search(0);
}

// ---- one call's SIP ladder ----------------------------------------------------------------

async function showLadder(callId) {
  let ladder;
  try {
    ladder = await api('GET', '/api/calls/' + encodeURIComponent(callId) + '/messages');
  } catch (e) {
    if (e.status === 404) {
      render(el('h1', {}, 'SIP ladder'), el('p', {id: 'ladder-missing'},
          'No messages of ' + callId + ' are captured: the capture keeps only the most recent calls '
          + '(pinhole.capture.recent-calls), or it is off.'));
      return;
    }
    throw e;
  }
  const legName = id => id === ladder.callId ? 'caller leg' : 'callee leg ' + ladder.legs.indexOf(id);
  render(el('h1', {}, 'SIP ladder of ', el('code', {}, ladder.callId)),
      el('p', {class: 'muted'}, ladder.legs.length + ' leg(s): ' + ladder.legs.join(', ')
          + (ladder.dropped ? '; ' + ladder.dropped + ' later messages not kept' : '')),
      el('table', {class: 'ladder', id: 'ladder'},
          el('thead', {}, el('tr', {}, el('th', {}, 'time'), el('th', {}, 'leg'), el('th', {}, 'peer'),
              el('th', {}, ''), el('th', {}, 'message'))),
          el('tbody', {}, ladder.messages.map(m => el('tr', {},
              el('td', {}, new Date(m.at).toISOString().substring(11, 23)),
              el('td', {}, legName(m.callId)),
              el('td', {}, m.peer),
              el('td', {class: m.direction}, m.direction === 'in' ? '\u2192 proxy' : 'proxy \u2192'),
              el('td', {class: m.direction},
                  el('details', {}, el('summary', {class: 'first-line'}, m.firstLine), el('pre', {}, m.text))))))));
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('sign-in-form').addEventListener('submit', event => signIn(event).catch(fail));
  document.getElementById('sign-out').addEventListener('click', () => signOut());
  window.addEventListener('hashchange', route);
  if (token()) start();
  else signOut();
});
