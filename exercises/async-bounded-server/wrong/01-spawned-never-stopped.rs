//! Wrong: each connection is spawned with plain `tokio::spawn` and never told to stop; at shutdown `serve` drops the listener and waits for every permit (`acquire_many`): idle connections outlive `serve`
//! Fails: an_idle_client_is_disconnected_before_serve_returns, a_job_in_progress_at_shutdown_is_finished_and_answered, a_hung_job_is_aborted_when_the_grace_period_ends

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::sleep;

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
    _grace: Duration,
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
    let mut shutdown = pin!(shutdown);
    let mut pause = FIRST_PAUSE;
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    pause = FIRST_PAUSE;
                    tokio::spawn(connection(stream, handler.clone(), permits.clone()));
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
        }
    }
    drop(listener);
    let _all = permits
        .acquire_many(limit as u32)
        .await
        .expect("the semaphore is never closed");
    Stopped::Gracefully
}

pub async fn connection<H, F>(stream: TcpStream, handler: Arc<H>, permits: Arc<Semaphore>)
where
    H: Fn(String) -> F + Send + Sync + 'static,
    F: Future<Output = String> + Send + 'static,
{
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader).lines();
    loop {
        let line = lines.next_line().await;
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
