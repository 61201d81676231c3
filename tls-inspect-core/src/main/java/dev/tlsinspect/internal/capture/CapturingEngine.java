package dev.tlsinspect.internal.capture;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/*
 * Every call goes to the application's engine. A handshake failure comes out of wrap or unwrap
 * (also one raised in a delegated task, which the engine rethrows there): reported once per
 * engine, then rethrown unchanged.
 */
/** The application's SSL engine, reporting its handshake failure. Not API. */
final class CapturingEngine extends SSLEngine {
  private final SSLEngine d;
  private final FailureSink sink;
  private volatile boolean established;
  private volatile boolean reported;

  CapturingEngine(SSLEngine delegate, FailureSink sink) {
    super(delegate.getPeerHost(), delegate.getPeerPort());
    this.d = delegate;
    this.sink = sink;
  }

  private SSLEngineResult seen(SSLEngineResult r) {
    if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
      established = true;
    }
    return r;
  }

  private void report(SSLException e) {
    if (reported || !(e instanceof SSLHandshakeException || !established)) {
      return;
    }
    reported = true;
    try {
      sink.failed(d.getPeerHost() == null ? "" : d.getPeerHost(), d.getPeerPort(), e);
    } catch (RuntimeException ignored) {
      // the application's exception matters, not ours
    }
  }

  @Override
  public SSLEngineResult wrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
    try {
      return seen(d.wrap(src, dst));
    } catch (SSLException e) {
      report(e);
      throw e;
    }
  }

  @Override
  public SSLEngineResult wrap(ByteBuffer[] srcs, ByteBuffer dst) throws SSLException {
    try {
      return seen(d.wrap(srcs, dst));
    } catch (SSLException e) {
      report(e);
      throw e;
    }
  }

  @Override
  public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst)
      throws SSLException {
    try {
      return seen(d.wrap(srcs, offset, length, dst));
    } catch (SSLException e) {
      report(e);
      throw e;
    }
  }

  @Override
  public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
    try {
      return seen(d.unwrap(src, dst));
    } catch (SSLException e) {
      report(e);
      throw e;
    }
  }

  @Override
  public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts) throws SSLException {
    try {
      return seen(d.unwrap(src, dsts));
    } catch (SSLException e) {
      report(e);
      throw e;
    }
  }

  @Override
  public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length)
      throws SSLException {
    try {
      return seen(d.unwrap(src, dsts, offset, length));
    } catch (SSLException e) {
      report(e);
      throw e;
    }
  }

  @Override
  public void beginHandshake() throws SSLException {
    try {
      d.beginHandshake();
    } catch (SSLException e) {
      report(e);
      throw e;
    }
  }

  @Override
  public Runnable getDelegatedTask() {
    return d.getDelegatedTask();
  }

  @Override
  public void closeInbound() throws SSLException {
    d.closeInbound();
  }

  @Override
  public boolean isInboundDone() {
    return d.isInboundDone();
  }

  @Override
  public void closeOutbound() {
    d.closeOutbound();
  }

  @Override
  public boolean isOutboundDone() {
    return d.isOutboundDone();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return d.getSupportedCipherSuites();
  }

  @Override
  public String[] getEnabledCipherSuites() {
    return d.getEnabledCipherSuites();
  }

  @Override
  public void setEnabledCipherSuites(String[] suites) {
    d.setEnabledCipherSuites(suites);
  }

  @Override
  public String[] getSupportedProtocols() {
    return d.getSupportedProtocols();
  }

  @Override
  public String[] getEnabledProtocols() {
    return d.getEnabledProtocols();
  }

  @Override
  public void setEnabledProtocols(String[] protocols) {
    d.setEnabledProtocols(protocols);
  }

  @Override
  public SSLSession getSession() {
    return d.getSession();
  }

  @Override
  public SSLSession getHandshakeSession() {
    return d.getHandshakeSession();
  }

  @Override
  public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
    return d.getHandshakeStatus();
  }

  @Override
  public void setUseClientMode(boolean mode) {
    d.setUseClientMode(mode);
  }

  @Override
  public boolean getUseClientMode() {
    return d.getUseClientMode();
  }

  @Override
  public void setNeedClientAuth(boolean need) {
    d.setNeedClientAuth(need);
  }

  @Override
  public boolean getNeedClientAuth() {
    return d.getNeedClientAuth();
  }

  @Override
  public void setWantClientAuth(boolean want) {
    d.setWantClientAuth(want);
  }

  @Override
  public boolean getWantClientAuth() {
    return d.getWantClientAuth();
  }

  @Override
  public void setEnableSessionCreation(boolean flag) {
    d.setEnableSessionCreation(flag);
  }

  @Override
  public boolean getEnableSessionCreation() {
    return d.getEnableSessionCreation();
  }

  @Override
  public SSLParameters getSSLParameters() {
    return d.getSSLParameters();
  }

  @Override
  public void setSSLParameters(SSLParameters params) {
    d.setSSLParameters(params);
  }

  @Override
  public String getApplicationProtocol() {
    return d.getApplicationProtocol();
  }

  @Override
  public String getHandshakeApplicationProtocol() {
    return d.getHandshakeApplicationProtocol();
  }

  @Override
  public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
    d.setHandshakeApplicationProtocolSelector(selector);
  }

  @Override
  public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
    return d.getHandshakeApplicationProtocolSelector();
  }

  @Override
  public String toString() {
    return d.toString();
  }
}
