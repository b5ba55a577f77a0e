// The live contest's WebSocket, kept alive: phones sleep, switch apps, walk out of Wi-Fi, and servers
// restart, so every page (phone, big screen, host) reconnects on its own with a growing, jittered delay and
// says who it is again (the `hello`). The server answers every hello with the current state (phase, question,
// time left, and for a phone its score and the answer it gave), so a reconnect replays nothing itself.
//
// Liveness: a half-open TCP connection (a phone that lost its network without a FIN) looks open for minutes.
// The page pings every 20 s and after waking up; no answer of any kind within a few seconds means the
// connection is dead, and it is replaced.

const PING_EVERY = 20000;
const SILENCE_LIMIT = 45000;   // nothing heard for this long: the connection is gone
const WAKE_PROBE = 4000;       // after the page becomes visible, a pong must come this soon
const DELAYS = [500, 1000, 2000, 4000, 8000, 15000];

// path: the WebSocket's path on this server; the live contest's by default (campaign boards: '/ws/campaign').
export function socketUrl(path) {
  return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + (path || '/ws/contest');
}

// options: { hello() → message to send on every (re)connection, or null to stay silent;
//            onMessage(message); onStatus('connecting'|'open'|'waiting'|'stopped', {delay, attempt});
//            path: '/ws/contest' unless given; welcomeType: the server's first answer to a hello, after which
//            a drop starts the delays afresh ('welcome' unless given; campaign boards answer with 'board') }
export function createContestSocket(options) {
  const welcomeType = options.welcomeType || 'welcome';
  let socket = null;
  let attempt = 0;
  let stopped = true;
  let retryTimer = null;
  let pingTimer = null;
  let probeTimer = null;
  let lastHeard = 0;

  function status(name, detail) {
    if (options.onStatus) options.onStatus(name, detail || {});
  }

  function clearTimers() {
    clearTimeout(retryTimer);
    clearInterval(pingTimer);
    clearTimeout(probeTimer);
    retryTimer = pingTimer = probeTimer = null;
  }

  function open() {
    clearTimers();
    if (stopped) return;
    status('connecting', { attempt: attempt });
    let ws;
    try {
      ws = new WebSocket(socketUrl(options.path));
    } catch (error) {
      scheduleRetry();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      if (ws !== socket) return;
      lastHeard = Date.now();
      const hello = options.hello ? options.hello() : null;
      if (hello) ws.send(JSON.stringify(hello));
      status('open', {});
      pingTimer = setInterval(() => {
        if (Date.now() - lastHeard > SILENCE_LIMIT) {
          drop(ws);
          return;
        }
        send({ type: 'ping' });
      }, PING_EVERY);
    };
    ws.onmessage = (event) => {
      if (ws !== socket) return;
      lastHeard = Date.now();
      clearTimeout(probeTimer);
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        return; // not ours to show
      }
      // A welcome means the server took the hello: from here on a drop starts the delays afresh.
      if (message.type === welcomeType) attempt = 0;
      // The server closes connections it has not heard from in a while; the reconnect below is the answer.
      if (message.type === 'error' && message.code === 'silent') return;
      options.onMessage(message);
    };
    ws.onclose = () => {
      if (ws !== socket) return;
      socket = null;
      scheduleRetry();
    };
    ws.onerror = () => {
      // onclose follows and does the rest
    };
  }

  function drop(ws) {
    if (ws !== socket) return;
    socket = null;
    try {
      ws.close();
    } catch (error) {
      // already closing
    }
    scheduleRetry();
  }

  function scheduleRetry() {
    clearTimers();
    if (stopped) {
      status('stopped', {});
      return;
    }
    const base = DELAYS[Math.min(attempt, DELAYS.length - 1)];
    // ±30 %: a hall of phones that lost the same Wi-Fi does not come back in one wave.
    const delay = Math.round(base * (0.7 + Math.random() * 0.6));
    attempt += 1;
    status('waiting', { delay: delay, attempt: attempt });
    retryTimer = setTimeout(open, delay);
  }

  function send(message) {
    if (!socket || socket.readyState !== 1) return false;
    try {
      socket.send(JSON.stringify(message));
      return true;
    } catch (error) {
      return false;
    }
  }

  // Woken up, back online, or back from the back-forward cache: check the connection now instead of
  // waiting for the next ping or retry.
  function wake() {
    if (stopped) return;
    if (!socket) {
      attempt = 0;
      open();
      return;
    }
    if (socket.readyState !== 1) return; // still connecting
    const ws = socket;
    send({ type: 'ping' });
    clearTimeout(probeTimer);
    probeTimer = setTimeout(() => drop(ws), WAKE_PROBE);
  }

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') wake();
  });
  window.addEventListener('online', wake);
  // The browser knows the network is gone (Wi-Fi lost, flight mode): the socket still looks open but nothing
  // gets through, and the ping would notice only after SILENCE_LIMIT — 45 s of 正在提交 with no word on the
  // screen. Dropping it now shows 连接中断 at once; 'online' reconnects, and a pending answer goes out again.
  window.addEventListener('offline', () => {
    if (!stopped && socket) drop(socket);
  });
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) wake();
  });
  // Leaving the page (closed, navigated away, or put in the back-forward cache): close the socket now. A page
  // kept in the cache would otherwise hold it open and silent, and the host would see the seat 在线 until the
  // server's silence limit (75 s); a close frame takes it offline at once. Coming back (pageshow) reconnects.
  window.addEventListener('pagehide', () => {
    const ws = socket;
    socket = null;
    clearTimers();
    if (!ws) return;
    try {
      ws.close(1000, 'page hidden');
    } catch (error) {
      // already closing
    }
  });

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      attempt = 0;
      open();
    },
    // Stays closed until start(): kicked, replaced by another device, or nothing more to wait for.
    stop() {
      stopped = true;
      clearTimers();
      const ws = socket;
      socket = null;
      if (ws) {
        try {
          ws.close();
        } catch (error) {
          // already closing
        }
      }
      status('stopped', {});
    },
    send: send,
    isOpen() {
      return !!socket && socket.readyState === 1;
    },
  };
}
