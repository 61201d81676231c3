package dev.tlsinspect.internal.capture;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} that is the application's own: same provider, protocol, sessions and
 * parameters; its client sockets and engines report handshake failures to a sink. Not API.
 */
public final class CapturingContext extends SSLContext {

  /**
   * Wraps a context.
   *
   * @param delegate the application's initialised context
   * @param sink where failures go
   */
  public CapturingContext(SSLContext delegate, FailureSink sink) {
    super(new Spi(delegate, sink), delegate.getProvider(), delegate.getProtocol());
  }

  /** Delegates every call; wraps what makes client handshakes. */
  private static final class Spi extends SSLContextSpi {
    private final SSLContext delegate;
    private final FailureSink sink;

    Spi(SSLContext delegate, FailureSink sink) {
      this.delegate = delegate;
      this.sink = sink;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr)
        throws KeyManagementException {
      delegate.init(km, tm, sr);
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return new CapturingSocketFactory(delegate.getSocketFactory(), sink);
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return delegate.getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return new CapturingEngine(delegate.createSSLEngine(), sink);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return new CapturingEngine(delegate.createSSLEngine(host, port), sink);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return delegate.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return delegate.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return delegate.getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return delegate.getSupportedSSLParameters();
    }
  }
}
