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
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The only place the library contacts anything but the target, and only when the options ask for
 * it. Each fetch: http or https only (checked before any I/O, redirects included), at most
 * min(3 s, what is left of the inspection's deadline) from request to last body byte, at most
 * 1 MB of body (the subscriber cancels beyond it), no cookies, no proxy. A redirect is followed
 * only to the same scheme, host and port (at most 3 hops): the certificate names the server the
 * CA runs, and a hop elsewhere (another internal address, https to a host we never meant to
 * contact) is how a fetch becomes a request forgery. Per inspection at most MAX_URLS URLs are
 * asked (FetchPhase asks at most MAX_URLS_PER_CERTIFICATE of one certificate), and every URL not
 * asked is a note, as is every failure: never an exception.
 *
 * One Fetcher per inspection that fetches: its HttpClient and daemon threads exist only while the
 * inspection runs, and close() releases them (HttpClient.shutdownNow on Java 21+, otherwise the
 * executor ends and the client is left to the garbage collector, whose selector thread ends with
 * it), so opting in costs no thread or descriptor for the JVM's life. No global state changes.
 */
/** Bounded HTTP fetches for AIA, OCSP and CRLs. Not API. */
final class Fetcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);
  static final int MAX_BYTES = 1 << 20;
  static final Duration PER_FETCH = Duration.ofSeconds(3);
  private static final int MAX_REDIRECTS = 3;
  /** The most URLs one inspection asks (redirect hops included). */
  static final int MAX_URLS = 16;
  /** The most URLs of one certificate (and one kind: caIssuers, OCSP or CRL) that are asked. */
  static final int MAX_URLS_PER_CERTIFICATE = 4;

  private final ExecutorService executor = IdlePools.cached("tls-inspect-fetch");
  private final HttpClient http = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NEVER)
      .proxy(HttpClient.Builder.NO_PROXY)
      .connectTimeout(PER_FETCH)
      .executor(executor)
      .build();
  private int asked;

  Fetcher() {}

  /** Releases the client and its threads; the fetcher is not used again. */
  @Override
  public void close() {
    // HttpClient.shutdownNow() exists from Java 21 on (close() would wait for a dripping
    // download); on 17 the client is released to the garbage collector, and its selector thread
    // ends with it.
    try {
      HttpClient.class.getMethod("shutdownNow").invoke(http);
    } catch (NoSuchMethodException onJava17) {
      // nothing more to do
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("shutting the fetch client down failed", e);
    }
    executor.shutdownNow();
  }

  /** How many URLs were asked so far. */
  int asked() {
    return asked;
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

  Optional<byte[]> get(String what, String url, Deadline deadline, List<String> notes) {
    return fetch(what, url, null, null, deadline, notes);
  }

  Optional<byte[]> post(String what, String url, byte[] body, String contentType,
      Deadline deadline, List<String> notes) {
    return fetch(what, url, body, contentType, deadline, notes);
  }

  private Optional<byte[]> fetch(String what, String url, byte[] body, String contentType,
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
      if (asked >= MAX_URLS) {
        notes.add(what + " " + current + ": skipped, " + MAX_URLS + " URLs were asked in this inspection already");
        return Optional.empty();
      }
      asked++;
      Duration budget = Duration.ofMillis(deadline.timeoutMillis(PER_FETCH));
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(current)).timeout(budget)
          .header("User-Agent", "tls-inspect");
      if (body != null) {
        request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType);
      } else {
        request.GET();
      }
      CompletableFuture<HttpResponse<byte[]>> future =
          http.sendAsync(request.build(), info -> new Capped(info.headers()
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
          if (!origin(next).equals(origin(current))) {
            notes.add(what + " " + current + ": refused redirect to " + next
                + " (only the same scheme, host and port are followed)");
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

  /** scheme://host:port, lower-case, with the scheme's default port; throws on a bad URL. */
  static String origin(String url) {
    URI uri = URI.create(url);
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    return scheme + "://" + host + ":" + port;
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
