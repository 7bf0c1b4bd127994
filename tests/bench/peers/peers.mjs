// The peers' side of tests/bench/peers: BullMQ (on Redis) and pg-boss (on
// PostgreSQL) under the load shapes that termijnd is measured with.  run.py
// starts the servers and calls this once per measurement; it prints one
// line of JSON with the figures and exits.
//
//   node peers.mjs register bullmq|pgboss URL CLIENTS SECONDS
//       CLIENTS concurrent async clients each add a delayed job (due in an
//       hour) and await it, again and again for SECONDS: the jobs added.
//   node peers.mjs due bullmq|pgboss URL JOBS [key=value ...]
//       JOBS delayed jobs all due at one moment a few seconds ahead, and
//       worker processes waiting for them: how late after that moment the
//       first and the last job were handed to a worker.
//
// URL: redis://127.0.0.1:PORT for BullMQ, postgres://USER@127.0.0.1:PORT/DB
// for pg-boss.  Worker processes are this file again ("worker" mode),
// forked with an IPC channel; they exit when it closes.

import { fork } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import process from 'node:process'

const QUEUE = 'deadline'
const HOUR = 3600 * 1000

function die (msg) {
  process.stderr.write(`peers.mjs: ${msg}\n`)
  process.exit(1)
}

function percentile (sorted, q) {
  if (!sorted.length) return NaN
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]
}

function options (args) {
  const o = {}
  for (const a of args) {
    const m = /^([a-z_]+)=(.*)$/.exec(a)
    if (!m) die(`not key=value: ${a}`)
    o[m[1]] = m[2]
  }
  return o
}

function redisConnection (url) {
  const u = new URL(url)
  // maxRetriesPerRequest null: what BullMQ asks of a worker's connection.
  return { host: u.hostname, port: Number(u.port), maxRetriesPerRequest: null }
}

// -- the peers, behind one small interface --------------------------------

async function openBullmq (url) {
  const { Queue } = await import('bullmq')
  // One Queue, one connection for all clients, as an application holds it:
  // ioredis sends the commands of concurrent callers on it without waiting
  // for each answer (pipelining).
  const queue = new Queue(QUEUE, { connection: redisConnection(url) })
  await queue.waitUntilReady()
  return {
    add: (ref) => queue.add('deadline', { reference: ref, workflow: 'zelfmelding', team: 'jeugd-noord' },
      { delay: HOUR, removeOnComplete: true }),
    // All due at exactly `due`: the job's timestamp plus its delay is the
    // moment BullMQ makes it ready.
    addDue: async (refs, due) => {
      const t = Date.now()
      await queue.addBulk(refs.map(ref => ({
        name: 'deadline',
        data: { reference: ref, workflow: 'zelfmelding', team: 'jeugd-noord' },
        opts: { timestamp: t, delay: due - t, removeOnComplete: true }
      })))
    },
    close: () => queue.close()
  }
}

async function openPgboss (url, pool) {
  const { default: PgBoss } = await import('pg-boss')
  const boss = new PgBoss({ connectionString: url, max: pool })
  boss.on('error', e => process.stderr.write(`pg-boss: ${e.message}\n`))
  await boss.start()
  await boss.createQueue(QUEUE)
  return {
    add: (ref) => boss.send(QUEUE, { reference: ref, workflow: 'zelfmelding', team: 'jeugd-noord' },
      { startAfter: new Date(Date.now() + HOUR) }),
    addDue: (refs, due) => boss.insert(refs.map(ref => ({
      name: QUEUE,
      data: { reference: ref, workflow: 'zelfmelding', team: 'jeugd-noord' },
      startAfter: new Date(due)
    }))),
    close: () => boss.stop({ graceful: false, wait: true })
  }
}

// -- registrations ----------------------------------------------------------

async function register (peer, url, clients, seconds) {
  const p = peer === 'bullmq' ? await openBullmq(url) : await openPgboss(url, clients)
  let ok = 0
  let failed = 0
  const lat = []
  const t0 = performance.now()
  const end = t0 + seconds * 1000
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    let i = 0
    while (performance.now() < end) {
      const s = performance.now()
      try {
        await p.add(`P-${c}-${i++}`)
        ok++
        lat.push(performance.now() - s)
      } catch (e) {
        if (++failed <= 3) process.stderr.write(`add: ${e.message}\n`)
      }
    }
  }))
  const took = (performance.now() - t0) / 1000
  await p.close()
  lat.sort((a, b) => a - b)
  return {
    peer, clients, added: ok, failed, seconds: took, rate: ok / took,
    p50_ms: percentile(lat, 0.5), p99_ms: percentile(lat, 0.99)
  }
}

// -- many due at one moment -----------------------------------------------

async function due (peer, url, jobs, o) {
  const workers = Number(o.workers || 2)
  const lead = Number(o.lead || 5) * 1000
  const wopts = { ...o }
  const children = []
  const seen = new Map()	// child -> {count, first, last}
  let readyCount = 0
  let onReady
  const ready = new Promise(resolve => { onReady = resolve })
  let onAll
  const all = new Promise(resolve => { onAll = resolve })
  const total = () => [...seen.values()].reduce((a, s) => a + s.count, 0)
  for (let w = 0; w < workers; w++) {
    const child = fork(new URL(import.meta.url).pathname,
      ['worker', peer, url, JSON.stringify(wopts)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    children.push(child)
    child.on('message', m => {
      if (m.ready && ++readyCount === workers) onReady()
      if (m.count !== undefined) {
        seen.set(child, m)
        if (total() >= jobs) onAll()
      }
    })
    child.on('exit', code => { if (code) die(`a ${peer} worker exited with ${code}`) })
  }
  try {
    await ready
    const p = peer === 'bullmq' ? await openBullmq(url) : await openPgboss(url, 4)
    const due = Date.now() + lead
    const refs = Array.from({ length: jobs }, (_, i) => `D-${i}`)
    const t0 = performance.now()
    for (let i = 0; i < jobs; i += 1000) await p.addDue(refs.slice(i, i + 1000), due)
    const setup = (performance.now() - t0) / 1000
    await p.close()
    if (Date.now() > due - 500) die(`adding ${jobs} jobs took ${setup.toFixed(1)} s: raise lead=`)
    const timeout = setTimeout(() => die(`only ${total()} of ${jobs} jobs handed to a worker after 120 s`),
      due - Date.now() + 120000)
    await all
    clearTimeout(timeout)
    const s = [...seen.values()]
    const first = Math.min(...s.map(x => x.first))
    const last = Math.max(...s.map(x => x.last))
    return {
      peer, jobs: total(), workers, worker_options: o, added_in_s: setup,
      first_ms: first - due, last_ms: last - due
    }
  } finally {
    for (const c of children) c.kill('SIGTERM')
  }
}

// A worker process: takes jobs as they come due and tells its parent, every
// 50 ms while anything changed, how many it was handed and when the first
// and the last were handed to it (ms since the epoch).
async function worker (peer, url, o) {
  process.on('disconnect', () => process.exit(0))
  process.on('SIGTERM', () => process.exit(0))
  const st = { count: 0, first: Infinity, last: -Infinity }
  let dirty = false
  const took = (n) => {
    const now = performance.timeOrigin + performance.now()
    st.count += n
    if (now < st.first) st.first = now
    if (now > st.last) st.last = now
    dirty = true
  }
  setInterval(() => {
    if (dirty) {
      dirty = false
      process.send({ ...st })
    }
  }, 50)
  if (peer === 'bullmq') {
    const { Worker } = await import('bullmq')
    const w = new Worker(QUEUE, async () => { took(1) }, {
      connection: redisConnection(url),
      concurrency: Number(o.concurrency || 200)
    })
    w.on('error', e => process.stderr.write(`bullmq worker: ${e.message}\n`))
    await w.waitUntilReady()
  } else {
    const { default: PgBoss } = await import('pg-boss')
    const loops = Number(o.loops || 2)
    const boss = new PgBoss({ connectionString: url, max: loops + 2 })
    boss.on('error', e => process.stderr.write(`pg-boss worker: ${e.message}\n`))
    await boss.start()
    for (let i = 0; i < loops; i++) {
      await boss.work(QUEUE, {
        batchSize: Number(o.batch || 1000),
        pollingIntervalSeconds: Number(o.interval || 0.5)
      }, async (batch) => { took(batch.length) })
    }
  }
  process.send({ ready: true })
}

const [mode, peer, url, ...rest] = process.argv.slice(2)
if (!['bullmq', 'pgboss'].includes(peer) || !url) {
  die('usage: peers.mjs register|due|worker bullmq|pgboss URL ...')
}
if (mode === 'worker') {
  await worker(peer, url, JSON.parse(rest[0] || '{}'))
} else {
  let r
  if (mode === 'register') {
    r = await register(peer, url, Number(rest[0] || 16), Number(rest[1] || 10))
  } else if (mode === 'due') {
    r = await due(peer, url, Number(rest[0] || 10000), options(rest.slice(1)))
  } else {
    die(`unknown mode ${mode}`)
  }
  process.stdout.write(JSON.stringify(r) + '\n')
  process.exit(0)
}
