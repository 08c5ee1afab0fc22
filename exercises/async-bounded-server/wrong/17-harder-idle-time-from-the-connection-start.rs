//! Wrong: the optional step's idle deadline is fixed when the connection starts (`timeout_at(start + idle, ...)`), not counted from the last reply
//! Fails: harder_an_idle_connection_is_closed_after_the_idle_limit

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tokio::time::{sleep, timeout};

#[derive(Debug, PartialEq, Eq)]
pub enum Stopped {
    Gracefully,
    Aborted(usize),
}

const FIRST_PAUSE: Duration = Duration::from_millis(10);
const LONGEST_PAUSE: Duration = Duration::from_secs(1);

pub async fn serve<H, F>(
    listener: TcpListener,
    limit: usize,
    grace: Duration,
    handler: H,
    shutdown: impl Future<Output = ()>,
) -> Stopped
where
    H: Fn(String) -> F + Send + Sync + 'static,
    F: Future<Output = String> + Send + 'static,
{
    run(listener, limit, grace, None, handler, shutdown).await
}

pub async fn serve_with_idle_timeout<H, F>(
    listener: TcpListener,
    limit: usize,
    grace: Duration,
    idle: Duration,
    handler: H,
    shutdown: impl Future<Output = ()>,
) -> Stopped
where
    H: Fn(String) -> F + Send + Sync + 'static,
    F: Future<Output = String> + Send + 'static,
{
    run(listener, limit, grace, Some(idle), handler, shutdown).await
}

async fn run<H, F>(
    listener: TcpListener,
    limit: usize,
    grace: Duration,
    idle: Option<Duration>,
    handler: H,
    shutdown: impl Future<Output = ()>,
) -> Stopped
where
    H: Fn(String) -> F + Send + Sync + 'static,
    F: Future<Output = String> + Send + 'static,
{
    assert!(limit > 0, "a limit of 0 jobs at once would serve nobody");
    let handler = Arc::new(handler);
    let permits = Arc::new(Semaphore::new(limit));
    let (stop, stopped) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut shutdown = pin!(shutdown);
    let mut pause = FIRST_PAUSE;
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        match accepted {
            Ok((stream, _)) => {
                pause = FIRST_PAUSE;
                let task = connection(
                    stream,
                    handler.clone(),
                    permits.clone(),
                    stopped.clone(),
                    idle,
                );
                connections.spawn(task);
            }
            Err(err) => {
                tracing::warn!("accepting a connection failed ({err}); trying again in {pause:?}");
                let paused = tokio::select! {
                    () = &mut shutdown => false,
                    () = sleep(pause) => true,
                };
                if !paused {
                    break;
                }
                pause = (pause * 2).min(LONGEST_PAUSE);
            }
        }
    }
    drop(listener);
    let _ = stop.send(true);
    let drain = async { while connections.join_next().await.is_some() {} };
    if timeout(grace, drain).await.is_ok() {
        return Stopped::Gracefully;
    }
    connections.abort_all();
    let mut aborted = 0;
    while let Some(ended) = connections.join_next().await {
        if ended.is_err_and(|err| err.is_cancelled()) {
            aborted += 1;
        }
    }
    Stopped::Aborted(aborted)
}

pub async fn connection<H, F>(
    stream: TcpStream,
    handler: Arc<H>,
    permits: Arc<Semaphore>,
    mut stopped: watch::Receiver<bool>,
    idle: Option<Duration>,
) where
    H: Fn(String) -> F + Send + Sync + 'static,
    F: Future<Output = String> + Send + 'static,
{
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader).lines();
    let deadline = idle.map(|idle| tokio::time::Instant::now() + idle);
    loop {
        let next_line = async {
            match deadline {
                Some(deadline) => tokio::time::timeout_at(deadline, lines.next_line())
                    .await
                    .unwrap_or(Ok(None)),
                None => lines.next_line().await,
            }
        };
        let line = tokio::select! {
            biased;
            _ = stopped.wait_for(|&stop| stop) => return,
            line = next_line => line,
        };
        let Ok(Some(line)) = line else {
            return;
        };
        let reply = {
            let _permit = permits
                .acquire()
                .await
                .expect("the semaphore is never closed");
            handler(line).await
        };
        if writer
            .write_all(format!("{reply}\n").as_bytes())
            .await
            .is_err()
        {
            return;
        }
    }
}
