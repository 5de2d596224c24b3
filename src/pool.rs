//! The batch's worker threads: each takes the next queued item, works on it and sends the
//! result, with a deadline per item.
//!
//! Why a pool of its own: each file used to go from a rayon task to a helper thread (so that a
//! file past its deadline could be left behind) and back, then to the writer, and each
//! hand-off woke a sleeping thread. On this VM a wake is a system call of tens of
//! microseconds: `futex_wake` and `park` were 4% of a text batch's samples (`perf`). Here a
//! worker takes items from a queue kept filled ahead of it, so it does not sleep between
//! them, and the one hand-off is its result to the waiting thread. The waiting thread also
//! keeps the deadlines: a worker past one is left to finish in the background (Rust cannot
//! stop a thread), its result dropped, and a new worker takes its place. So the workers are
//! detached threads that own what they use: a scope (rayon's or the standard library's)
//! would wait for a late worker at its end. What the work can stop early, it stops: the
//! worker's `stop` flag is set when it is abandoned (a helper program it waits for is then
//! killed), and [`Pool::wait_for_abandoned`] gives those workers a moment to do so before the
//! batch ends.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// What a worker does with an item (the index of a file), given a flag set when the pool
/// stops waiting for it.
pub(crate) type Work<T> = Arc<dyn Fn(usize, &AtomicBool) -> T + Send + Sync>;

/// A pool of worker threads with a deadline per item.
pub(crate) struct Pool<T> {
    work: Work<T>,
    limit: Option<Duration>,
    queue: Arc<Queue>,
    workers: Vec<Worker>,
    /// Abandoned workers, each disconnected once its thread has ended.
    abandoned: Vec<mpsc::Receiver<()>>,
    results: mpsc::Receiver<(usize, Option<T>)>,
    sender: mpsc::Sender<(usize, Option<T>)>,
}

/// What became of an item, or why [`Pool::next`] returned without one.
#[derive(Debug, PartialEq)]
pub(crate) enum Event<T> {
    Done(usize, T),
    /// The item ran past the deadline: its worker is left behind.
    Late(usize),
    /// The work panicked outside any guard of its own (or no worker could be started).
    Lost(usize),
    /// Nothing happened within the polling interval.
    Idle,
}

#[derive(Default)]
struct Queue {
    state: Mutex<QueueState>,
    ready: Condvar,
}

#[derive(Default)]
struct QueueState {
    items: VecDeque<usize>,
    closed: bool,
    /// Workers asleep on `ready`: notified only when there are some, since a notification is
    /// a system call whether or not anyone waits.
    waiting: usize,
}

/// A worker thread, seen from the pool.
struct Worker {
    slot: Arc<Mutex<Slot>>,
    /// Disconnected when the thread ends.
    ended: mpsc::Receiver<()>,
}

/// What one worker is doing, for the deadline.
#[derive(Default)]
struct Slot {
    item: Option<(usize, Instant)>,
    /// Past its deadline: the worker drops its result and ends. Set under the slot's lock, so
    /// that a result is either sent or dropped, never both; the work reads it as its `stop`.
    abandoned: Arc<AtomicBool>,
}

impl<T: Send + 'static> Pool<T> {
    /// Starts `workers` threads (at least one) doing `work`; `limit` is the deadline of each
    /// item, from when a worker takes it.
    pub(crate) fn new(workers: usize, limit: Option<Duration>, work: Work<T>) -> Pool<T> {
        let (sender, results) = mpsc::channel();
        let mut pool = Pool {
            work,
            limit,
            queue: Arc::default(),
            workers: Vec::new(),
            abandoned: Vec::new(),
            results,
            sender,
        };
        for _ in 0..workers.max(1) {
            pool.start_worker();
        }
        pool
    }

    /// Queues item `i`; items are taken in the order queued.
    pub(crate) fn push(&self, i: usize) {
        let mut q = lock(&self.queue.state);
        q.items.push_back(i);
        if q.waiting > 0 {
            self.queue.ready.notify_one();
        }
    }

    /// Takes back the items no worker has taken yet; returns the first of them.
    pub(crate) fn cancel_queued(&self) -> Option<usize> {
        let mut q = lock(&self.queue.state);
        let first = q.items.front().copied();
        q.items.clear();
        first
    }

    /// The next result, waiting at most until the earliest deadline or `poll`, whichever
    /// comes first. A worker past its deadline is abandoned and replaced.
    pub(crate) fn next(&mut self, poll: Option<Duration>) -> Event<T> {
        if self.workers.is_empty() {
            return self.run_here();
        }
        loop {
            let now = Instant::now();
            // The earliest deadline of the items in hand, and at the latest one `limit` from
            // now: an item a worker takes after this look (it may have left the queue and not
            // yet reached its slot) ends no sooner than that, so it is seen at the next look.
            let deadline = self.limit.map(|limit| {
                self.workers
                    .iter()
                    .filter_map(|w| lock(&w.slot).item.map(|(_, started)| started + limit))
                    .fold(now + limit, Instant::min)
            });
            let wait = [deadline.map(|d| d.saturating_duration_since(now)), poll]
                .into_iter()
                .flatten()
                .min();
            let got = match wait {
                Some(wait) => self.results.recv_timeout(wait),
                None => self
                    .results
                    .recv()
                    .map_err(|_| mpsc::RecvTimeoutError::Disconnected),
            };
            match got {
                Ok((i, Some(result))) => return Event::Done(i, result),
                Ok((i, None)) => return Event::Lost(i),
                // The pool holds a sender: the channel cannot close.
                Err(mpsc::RecvTimeoutError::Disconnected) => return Event::Idle,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if let Some(i) = self.abandon_late() {
                        return Event::Late(i);
                    }
                    if deadline.is_none_or(|d| Instant::now() < d) {
                        return Event::Idle;
                    }
                }
            }
        }
    }

    /// With no worker (none could be started), the next queued item runs on the calling
    /// thread, without a deadline.
    fn run_here(&mut self) -> Event<T> {
        let next = lock(&self.queue.state).items.pop_front();
        let Some(i) = next else {
            return Event::Idle;
        };
        match catch_unwind(AssertUnwindSafe(|| (self.work)(i, &AtomicBool::new(false)))) {
            Ok(result) => Event::Done(i, result),
            Err(_) => Event::Lost(i),
        }
    }

    /// Abandons the first worker past its deadline, starting another in its place; returns
    /// its item.
    fn abandon_late(&mut self) -> Option<usize> {
        let limit = self.limit?;
        let now = Instant::now();
        let k = self.workers.iter().position(|w| {
            let slot = lock(&w.slot);
            match slot.item {
                Some((_, started)) if started + limit <= now => {
                    slot.abandoned.store(true, Ordering::Relaxed);
                    true
                }
                _ => false,
            }
        })?;
        let worker = self.workers.swap_remove(k);
        let item = lock(&worker.slot).item.map(|(i, _)| i);
        self.abandoned.push(worker.ended);
        self.start_worker();
        item
    }

    /// Waits up to `grace` for the abandoned workers to end. Their work was told to stop
    /// (a helper program it waited for is killed within a poll), but the process must not
    /// exit before it has: the program would outlive it. Work that cannot stop (a file stuck
    /// in extraction) is waited for no longer than `grace`.
    pub(crate) fn wait_for_abandoned(&mut self, grace: Duration) {
        let until = Instant::now() + grace;
        for ended in self.abandoned.drain(..) {
            let left = until.saturating_duration_since(Instant::now());
            // Disconnected: the thread ended; a timeout: it has not, and time is up.
            let _ = ended.recv_timeout(left);
        }
    }

    fn start_worker(&mut self) {
        let slot = Arc::new(Mutex::new(Slot::default()));
        let (queue, work, sender) = (self.queue.clone(), self.work.clone(), self.sender.clone());
        let mine = slot.clone();
        let (alive, ended) = mpsc::channel::<()>();
        let started = std::thread::Builder::new()
            .name("juesuan-file".into())
            .spawn(move || {
                let _alive = alive;
                run_worker(&queue, &*work, &mine, &sender)
            });
        if started.is_ok() {
            self.workers.push(Worker { slot, ended });
        }
    }
}

#[cfg(test)]
impl<T> Pool<T> {
    fn has_workers(&self) -> bool {
        !self.workers.is_empty()
    }
}

impl<T> Drop for Pool<T> {
    /// Ends the workers once they have nothing to do (an abandoned one, when its item ends).
    fn drop(&mut self) {
        let mut q = lock(&self.queue.state);
        q.closed = true;
        q.items.clear();
        self.queue.ready.notify_all();
    }
}

/// A worker: takes items until the queue is closed, or until it is abandoned.
fn run_worker<T>(
    queue: &Queue,
    work: &(dyn Fn(usize, &AtomicBool) -> T + Send + Sync),
    slot: &Mutex<Slot>,
    results: &mpsc::Sender<(usize, Option<T>)>,
) {
    let stop = lock(slot).abandoned.clone();
    while let Some(i) = take(queue) {
        lock(slot).item = Some((i, Instant::now()));
        let result = catch_unwind(AssertUnwindSafe(|| work(i, &stop))).ok();
        let mut s = lock(slot);
        if s.abandoned.load(Ordering::Relaxed) {
            return;
        }
        s.item = None;
        drop(s);
        if results.send((i, result)).is_err() {
            return;
        }
    }
}

/// The next item, waiting for one; `None` once the queue is closed.
fn take(queue: &Queue) -> Option<usize> {
    let mut q = lock(&queue.state);
    loop {
        if q.closed {
            return None;
        }
        if let Some(i) = q.items.pop_front() {
            return Some(i);
        }
        q.waiting += 1;
        q = queue.ready.wait(q).unwrap_or_else(|e| e.into_inner());
        q.waiting -= 1;
    }
}

/// A lock that a panic elsewhere does not make unusable: the state it guards is always whole
/// between statements.
fn lock<S>(m: &Mutex<S>) -> MutexGuard<'_, S> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Items come back once each, with their results; one past the deadline is `Late` (not
    /// waited for: it would come back `Done`) and the items after it are still done by a
    /// worker started in its place. The late item's work is told to stop, and the pool can
    /// wait for it to have stopped.
    #[test]
    fn a_late_item_is_left_behind_and_told_to_stop_and_the_rest_are_done() {
        let (told, heard) = mpsc::channel();
        let work: Work<usize> = Arc::new(move |i, stop| {
            if i == 2 {
                // As a wait for a helper program does: gives up once told to, else in 30 s.
                let started = Instant::now();
                while !stop.load(Ordering::Relaxed) && started.elapsed() < Duration::from_secs(30) {
                    std::thread::sleep(Duration::from_millis(5));
                }
                let _ = told.send(stop.load(Ordering::Relaxed));
            }
            i * 10
        });
        let mut pool = Pool::new(1, Some(Duration::from_millis(300)), work);
        for i in 0..5 {
            pool.push(i);
        }
        let mut events = Vec::new();
        while events.len() < 5 {
            match pool.next(None) {
                Event::Idle => {}
                e => events.push(e),
            }
        }
        assert_eq!(
            events,
            [
                Event::Done(0, 0),
                Event::Done(1, 10),
                Event::Late(2),
                Event::Done(3, 30),
                Event::Done(4, 40)
            ]
        );
        assert!(pool.has_workers());
        pool.wait_for_abandoned(Duration::from_secs(10));
        // Its work saw the flag, and its thread had ended when the wait returned.
        assert_eq!(heard.try_recv(), Ok(true));
    }

    /// A panic in the work is the item's `Lost`; the worker goes on. Items not yet taken can
    /// be taken back; polling returns `Idle` when nothing comes.
    #[test]
    fn a_panic_is_lost_and_queued_items_can_be_taken_back() {
        let gate = Arc::new(Mutex::new(()));
        let held = gate.lock().unwrap();
        let g = gate.clone();
        let work: Work<usize> = Arc::new(move |i, _| {
            if i == 0 {
                panic!("a test panic");
            }
            let _wait = g.lock();
            i
        });
        let mut pool = Pool::new(1, None, work);
        for i in 0..4 {
            pool.push(i);
        }
        assert_eq!(pool.next(None), Event::Lost(0));
        // Item 1 is taken and waits on the gate; 2 and 3 are still queued.
        while lock(&pool.queue.state).items.len() > 2 {
            std::thread::yield_now();
        }
        assert_eq!(pool.cancel_queued(), Some(2));
        assert_eq!(pool.next(Some(Duration::from_millis(20))), Event::Idle);
        drop(held);
        assert_eq!(pool.next(None), Event::Done(1, 1));
        assert_eq!(pool.cancel_queued(), None);
    }
}
