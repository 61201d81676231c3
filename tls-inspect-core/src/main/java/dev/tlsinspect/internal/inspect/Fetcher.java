package dev.tlsinspect.internal.inspect;

import dev.tlsinspect.probe.Deadline;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The only place the library contacts anything but the target, and only when the options ask for
 * it. Each fetch: http or https only (checked before any I/O, redirects included), at most
 * min(3 s, what is left of the inspection's deadline) from request to last body byte, at most
 * 1 MB of body (the subscriber cancels beyond it), no cookies, no proxy, no redirect to another
 * scheme. Failures become one note line each, never an exception.
 *
 * One HttpClient for the JVM, created on first use: its threads are daemons, and it carries no
 * cookie handler and no authenticator. It changes no global state.
 */
/** Bounded HTTP fetches for AIA, OCSP and CRLs. Not API. */
final class Fetcher {
  private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);
  static final int MAX_BYTES = 1 << 20;
  static final Duration PER_FETCH = Duration.ofSeconds(3);
  private static final int MAX_REDIRECTS = 3;

  private Fetcher() {}

  private static final class Client {
    static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "tls-inspect-fetch");
      t.setDaemon(true);
      return t;
    });
    static final HttpClient HTTP = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .proxy(HttpClient.Builder.NO_PROXY)
        .connectTimeout(PER_FETCH)
        .executor(EXECUTOR)
        .build();
  }

  /** Why this URL is refused without I/O, or empty when it may be fetched. */
  static Optional<String> refusal(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of("not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Optional.of("refused: scheme '" + scheme + "' is not http or https");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return Optional.of("refused: no host");
    }
    if (uri.getUserInfo() != null) {
      return Optional.of("refused: credentials in the URL");
    }
    return Optional.empty();
  }

  static Optional<byte[]> get(String what, String url, Deadline deadline, List<String> notes) {
    return fetch(what, url, null, null, deadline, notes);
  }

  static Optional<byte[]> post(String what, String url, byte[] body, String contentType,
      Deadline deadline, List<String> notes) {
    return fetch(what, url, body, contentType, deadline, notes);
  }

  private static Optional<byte[]> fetch(String what, String url, byte[] body, String contentType,
      Deadline deadline, List<String> notes) {
    String current = url;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      Optional<String> refused = refusal(current);
      if (refused.isPresent()) {
        notes.add(what + " " + current + ": " + refused.get());
        return Optional.empty();
      }
      if (deadline.expired()) {
        notes.add(what + " " + current + ": skipped, the inspection's deadline is reached");
        return Optional.empty();
      }
      Duration budget = Duration.ofMillis(deadline.timeoutMillis(PER_FETCH));
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(current)).timeout(budget)
          .header("User-Agent", "tls-inspect");
      if (body != null) {
        request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType);
      } else {
        request.GET();
      }
      CompletableFuture<HttpResponse<byte[]>> future =
          Client.HTTP.sendAsync(request.build(), info -> new Capped(info.headers()
              .firstValueAsLong("content-length").orElse(-1)));
      HttpResponse<byte[]> response;
      try {
        response = future.get(budget.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        future.cancel(true);
        notes.add(what + " " + current + ": no complete answer within " + budget.toMillis() + " ms");
        return Optional.empty();
      } catch (InterruptedException e) {
        future.cancel(true);
        Thread.currentThread().interrupt();
        notes.add(what + " " + current + ": interrupted");
        return Optional.empty();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        while (cause.getCause() != null && !(cause instanceof TooLarge)) {
          cause = cause.getCause();
        }
        // The URL came from the certificate: quoted safe, and the cause as text for the same reason.
        LOG.debug("fetch of {} failed: {}", dev.tlsinspect.SafeText.of(String.valueOf(current)),
            dev.tlsinspect.SafeText.of(String.valueOf(cause)));
        if (cause instanceof java.net.http.HttpTimeoutException) {
          // the client's own timer fired first: the same budget, reported the same way
          notes.add(what + " " + current + ": no complete answer within " + budget.toMillis() + " ms");
          return Optional.empty();
        }
        notes.add(what + " " + current + ": " + (cause instanceof TooLarge
            ? "the answer is larger than " + MAX_BYTES + " bytes; aborted"
            : "failed: " + cause));
        return Optional.empty();
      }
      int status = response.statusCode();
      if (status >= 300 && status < 400 && body == null) {
        Optional<String> location = response.headers().firstValue("location");
        if (location.isEmpty()) {
          notes.add(what + " " + current + ": HTTP " + status + " without a Location");
          return Optional.empty();
        }
        try {
          String next = URI.create(current).resolve(location.get()).toString();
          if (!scheme(next).equals(scheme(current))) {
            notes.add(what + " " + current + ": refused redirect to " + next);
            return Optional.empty();
          }
          current = next;
          continue;
        } catch (IllegalArgumentException e) {
          notes.add(what + " " + current + ": bad redirect Location");
          return Optional.empty();
        }
      }
      if (status != 200) {
        notes.add(what + " " + current + ": HTTP " + status);
        return Optional.empty();
      }
      return Optional.of(response.body());
    }
    notes.add(what + " " + url + ": more than " + MAX_REDIRECTS + " redirects");
    return Optional.empty();
  }

  private static String scheme(String url) {
    String s = URI.create(url).getScheme();
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }

  /** The body is over the cap. */
  static final class TooLarge extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("body larger than " + MAX_BYTES + " bytes");
    }
  }

  /** Collects at most MAX_BYTES; cancels the subscription beyond. */
  private static final class Capped implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final long announced;
    private Flow.Subscription subscription;

    Capped(long announced) {
      this.announced = announced;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      this.subscription = s;
      if (announced > MAX_BYTES) {
        s.cancel();
        result.completeExceptionally(new TooLarge());
        return;
      }
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        if (out.size() + (long) b.remaining() > MAX_BYTES) {
          subscription.cancel();
          result.completeExceptionally(new TooLarge());
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        out.write(chunk, 0, chunk.length);
      }
      subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }
  }
}
