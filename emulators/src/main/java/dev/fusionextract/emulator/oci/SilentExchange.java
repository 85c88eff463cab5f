package dev.fusionextract.emulator.oci;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;

/** The request side of an exchange, with an answer that goes nowhere: lets a fault do the work and drop the answer. */
final class SilentExchange extends HttpExchange {

    private final HttpExchange request;
    private final Headers responseHeaders = new Headers();
    private int code = -1;

    SilentExchange(HttpExchange request) {
        this.request = request;
    }

    @Override
    public Headers getRequestHeaders() {
        return request.getRequestHeaders();
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return request.getRequestURI();
    }

    @Override
    public String getRequestMethod() {
        return request.getRequestMethod();
    }

    @Override
    public HttpContext getHttpContext() {
        return request.getHttpContext();
    }

    @Override
    public void close() {
        // the real exchange is closed by the server
    }

    @Override
    public InputStream getRequestBody() {
        return InputStream.nullInputStream();
    }

    @Override
    public OutputStream getResponseBody() {
        return OutputStream.nullOutputStream();
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) {
        code = rCode;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return request.getRemoteAddress();
    }

    @Override
    public int getResponseCode() {
        return code;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return request.getLocalAddress();
    }

    @Override
    public String getProtocol() {
        return request.getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
        return request.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        request.setAttribute(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        throw new UnsupportedOperationException();
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return request.getPrincipal();
    }
}
