use tracing::{Instrument, Span, info, info_span, instrument};

/// The span `save{name=...}` records `name`, not the (big) body, and an
/// `Err` returned is recorded as an error event inside that span.
#[instrument(skip(body), err)]
async fn save(name: &str, body: Vec<u8>) -> Result<usize, String> {
    if body.is_empty() {
        return Err(format!("{name} is empty"));
    }
    info!(bytes = body.len(), "saved");
    Ok(body.len())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // The same plain format as the first listing: no time, no colours.
    tracing_subscriber::fmt()
        .with_writer(std::io::stdout)
        .with_ansi(false)
        .without_time()
        .with_target(false)
        .init();

    let request = async {
        info!("handling the request");
        // A spawned task starts outside every span...
        let lost = tokio::spawn(async { info!("spawned plainly") });
        lost.await.unwrap();
        // ...unless it is given one: the current span, here `request`.
        let kept = async { info!("spawned with the span") };
        tokio::spawn(kept.instrument(Span::current()))
            .await
            .unwrap();
        let same = async { info!("spawned in_current_span") };
        tokio::spawn(same.in_current_span()).await.unwrap();
        // `#[instrument]` makes a span for each call, inside the current one.
        let _ = save("a.txt", vec![1, 2, 3]).await;
        let _ = save("b.txt", Vec::new()).await;
    };
    request.instrument(info_span!("request", id = 7)).await;
}
