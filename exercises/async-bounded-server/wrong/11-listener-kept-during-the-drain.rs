//! Wrong: the listener is not dropped when the accept loop ends, but only when `serve` returns: during the drain, new clients connect and wait in a queue nobody reads
//! Fails: new_clients_are_refused_once_the_shutdown_begins

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
    assert!(limit > 0, "a limit of 0 jobs at once would serve nobody");
    let handler = Arc::new(handler);
    let permits = Arc::new(Semaphore::new(limit));
    let (stop, stopped) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut shutdown = pin!(shutdown);
    let mut pause = FIRST_PAUSE;
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    pause = FIRST_PAUSE;
                    let task = connection(stream, handler.clone(), permits.clone(), stopped.clone());
                    connections.spawn(task);
                }
                Err(err) => {
                    tracing::warn!("accepting a connection failed ({err}); trying again in {pause:?}");
                    tokio::select! {
                        () = &mut shutdown => break,
                        () = sleep(pause) => {}
                    }
                    pause = (pause * 2).min(LONGEST_PAUSE);
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
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
) where
    H: Fn(String) -> F + Send + Sync + 'static,
    F: Future<Output = String> + Send + 'static,
{
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader).lines();
    loop {
        let line = tokio::select! {
            biased;
            _ = stopped.wait_for(|&stop| stop) => return,
            line = lines.next_line() => line,
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

pub async fn serve_with_idle_timeout<H, F>(
    _listener: TcpListener,
    _limit: usize,
    _grace: Duration,
    _idle: Duration,
    _handler: H,
    _shutdown: impl Future<Output = ()>,
) -> Stopped
where
    H: Fn(String) -> F + Send + Sync + 'static,
    F: Future<Output = String> + Send + 'static,
{
    todo!("the optional harder step")
}
