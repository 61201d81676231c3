package dev.tlsinspect.internal.capture;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/*
 * Every call goes to the application's socket. The handshake fails in startHandshake() or, when
 * the application never calls it, in the first read or write: those three report to the sink, once
 * per socket, and rethrow the same exception.
 */
/** The application's SSL socket, reporting its handshake failure. Not API. */
final class CapturingSocket extends SSLSocket {
  private final SSLSocket d;
  private final String host;
  private final int port;
  private final FailureSink sink;
  /** A handshake finished, or data moved: later SSLExceptions are not handshake failures. */
  private volatile boolean established;
  private volatile boolean reported;
  private InputStream in;
  private OutputStream out;

  CapturingSocket(SSLSocket delegate, String host, int port, FailureSink sink) {
    this.d = delegate;
    this.host = host;
    this.port = port;
    this.sink = sink;
  }

  void report(IOException e) {
    if (reported || !(e instanceof SSLException)) {
      return;
    }
    if (e instanceof SSLHandshakeException || !established) {
      reported = true;
      String h = host;
      int p = port;
      InetAddress peer = d.getInetAddress();
      if (h.isEmpty() && peer != null) {
        h = peer.getHostAddress(); // no lookup
      }
      if (p < 0) {
        p = d.getPort();
      }
      try {
        sink.failed(h, p, e);
      } catch (RuntimeException ignored) {
        // the application's exception matters, not ours
      }
    }
  }

  @Override
  public void startHandshake() throws IOException {
    try {
      d.startHandshake();
      established = true;
    } catch (IOException e) {
      report(e);
      throw e;
    }
  }

  @Override
  public synchronized InputStream getInputStream() throws IOException {
    if (in == null) {
      InputStream raw = d.getInputStream();
      in = new InputStream() {
        @Override
        public int read() throws IOException {
          try {
            int b = raw.read();
            established = true;
            return b;
          } catch (IOException e) {
            report(e);
            throw e;
          }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          try {
            int n = raw.read(b, off, len);
            established = true;
            return n;
          } catch (IOException e) {
            report(e);
            throw e;
          }
        }

        @Override
        public int available() throws IOException {
          return raw.available();
        }

        @Override
        public long skip(long n) throws IOException {
          return raw.skip(n);
        }

        @Override
        public void close() throws IOException {
          raw.close();
        }
      };
    }
    return in;
  }

  @Override
  public synchronized OutputStream getOutputStream() throws IOException {
    if (out == null) {
      OutputStream raw = d.getOutputStream();
      out = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          try {
            raw.write(b);
            established = true;
          } catch (IOException e) {
            report(e);
            throw e;
          }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          try {
            raw.write(b, off, len);
            established = true;
          } catch (IOException e) {
            report(e);
            throw e;
          }
        }

        @Override
        public void flush() throws IOException {
          raw.flush();
        }

        @Override
        public void close() throws IOException {
          raw.close();
        }
      };
    }
    return out;
  }

  // --- SSLSocket, delegated -------------------------------------------------------------------

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
  public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
    d.addHandshakeCompletedListener(listener);
  }

  @Override
  public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
    d.removeHandshakeCompletedListener(listener);
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
  public void setHandshakeApplicationProtocolSelector(BiFunction<SSLSocket, List<String>, String> selector) {
    d.setHandshakeApplicationProtocolSelector(selector);
  }

  @Override
  public BiFunction<SSLSocket, List<String>, String> getHandshakeApplicationProtocolSelector() {
    return d.getHandshakeApplicationProtocolSelector();
  }

  // --- Socket, delegated ----------------------------------------------------------------------

  @Override
  public void connect(SocketAddress endpoint) throws IOException {
    d.connect(endpoint);
  }

  @Override
  public void connect(SocketAddress endpoint, int timeout) throws IOException {
    d.connect(endpoint, timeout);
  }

  @Override
  public void bind(SocketAddress bindpoint) throws IOException {
    d.bind(bindpoint);
  }

  @Override
  public InetAddress getInetAddress() {
    return d.getInetAddress();
  }

  @Override
  public InetAddress getLocalAddress() {
    return d.getLocalAddress();
  }

  @Override
  public int getPort() {
    return d.getPort();
  }

  @Override
  public int getLocalPort() {
    return d.getLocalPort();
  }

  @Override
  public SocketAddress getRemoteSocketAddress() {
    return d.getRemoteSocketAddress();
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    return d.getLocalSocketAddress();
  }

  @Override
  public SocketChannel getChannel() {
    return d.getChannel();
  }

  @Override
  public void setTcpNoDelay(boolean on) throws SocketException {
    d.setTcpNoDelay(on);
  }

  @Override
  public boolean getTcpNoDelay() throws SocketException {
    return d.getTcpNoDelay();
  }

  @Override
  public void setSoLinger(boolean on, int linger) throws SocketException {
    d.setSoLinger(on, linger);
  }

  @Override
  public int getSoLinger() throws SocketException {
    return d.getSoLinger();
  }

  @Override
  public void sendUrgentData(int data) throws IOException {
    d.sendUrgentData(data);
  }

  @Override
  public void setOOBInline(boolean on) throws SocketException {
    d.setOOBInline(on);
  }

  @Override
  public boolean getOOBInline() throws SocketException {
    return d.getOOBInline();
  }

  @Override
  public void setSoTimeout(int timeout) throws SocketException {
    d.setSoTimeout(timeout);
  }

  @Override
  public int getSoTimeout() throws SocketException {
    return d.getSoTimeout();
  }

  @Override
  public void setSendBufferSize(int size) throws SocketException {
    d.setSendBufferSize(size);
  }

  @Override
  public int getSendBufferSize() throws SocketException {
    return d.getSendBufferSize();
  }

  @Override
  public void setReceiveBufferSize(int size) throws SocketException {
    d.setReceiveBufferSize(size);
  }

  @Override
  public int getReceiveBufferSize() throws SocketException {
    return d.getReceiveBufferSize();
  }

  @Override
  public void setKeepAlive(boolean on) throws SocketException {
    d.setKeepAlive(on);
  }

  @Override
  public boolean getKeepAlive() throws SocketException {
    return d.getKeepAlive();
  }

  @Override
  public void setTrafficClass(int tc) throws SocketException {
    d.setTrafficClass(tc);
  }

  @Override
  public int getTrafficClass() throws SocketException {
    return d.getTrafficClass();
  }

  @Override
  public void setReuseAddress(boolean on) throws SocketException {
    d.setReuseAddress(on);
  }

  @Override
  public boolean getReuseAddress() throws SocketException {
    return d.getReuseAddress();
  }

  @Override
  public void close() throws IOException {
    d.close();
  }

  @Override
  public void shutdownInput() throws IOException {
    d.shutdownInput();
  }

  @Override
  public void shutdownOutput() throws IOException {
    d.shutdownOutput();
  }

  @Override
  public boolean isConnected() {
    return d.isConnected();
  }

  @Override
  public boolean isBound() {
    return d.isBound();
  }

  @Override
  public boolean isClosed() {
    return d.isClosed();
  }

  @Override
  public boolean isInputShutdown() {
    return d.isInputShutdown();
  }

  @Override
  public boolean isOutputShutdown() {
    return d.isOutputShutdown();
  }

  @Override
  public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
    d.setPerformancePreferences(connectionTime, latency, bandwidth);
  }

  @Override
  public <T> java.net.Socket setOption(SocketOption<T> name, T value) throws IOException {
    d.setOption(name, value);
    return this;
  }

  @Override
  public <T> T getOption(SocketOption<T> name) throws IOException {
    return d.getOption(name);
  }

  @Override
  public Set<SocketOption<?>> supportedOptions() {
    return d.supportedOptions();
  }

  @Override
  public String toString() {
    return d.toString();
  }
}
