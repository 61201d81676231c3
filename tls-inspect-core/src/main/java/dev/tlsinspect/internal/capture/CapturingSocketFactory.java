package dev.tlsinspect.internal.capture;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/** The application's socket factory, its sockets wrapped. Not API. */
final class CapturingSocketFactory extends SSLSocketFactory {
  private final SSLSocketFactory delegate;
  private final FailureSink sink;

  CapturingSocketFactory(SSLSocketFactory delegate, FailureSink sink) {
    this.delegate = delegate;
    this.sink = sink;
  }

  private Socket wrap(Socket s, String host, int port) {
    return s instanceof SSLSocket ssl ? new CapturingSocket(ssl, host, port, sink) : s;
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return delegate.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }

  @Override
  public Socket createSocket() throws IOException {
    return wrap(delegate.createSocket(), "", -1);
  }

  @Override
  public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
    return wrap(delegate.createSocket(s, host, port, autoClose), host, port);
  }

  @Override
  public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
    return wrap(delegate.createSocket(s, consumed, autoClose), "", s.getPort());
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return wrap(delegate.createSocket(host, port), host, port);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return wrap(delegate.createSocket(host, port, localHost, localPort), host, port);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return wrap(delegate.createSocket(host, port), host.getHostAddress(), port);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return wrap(delegate.createSocket(address, port, localAddress, localPort),
        address.getHostAddress(), port);
  }
}
