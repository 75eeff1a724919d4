package dev.correlator.api;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;

import dev.correlator.CorrelatorConfig;

/**
 * The client of a request, for limits kept per client. Behind a load balancer every request comes
 * from the balancer, so its X-Forwarded-For is believed, but only from the proxies in
 * correlator.api.trusted-proxies: anyone else can write any address there. A proxy appends the
 * address it saw, so the client is the right-most address that is not a trusted proxy; what is
 * left of it was written by the client and may be anything.
 */
@ApplicationScoped
public class ClientAddress {

    @Inject
    CorrelatorConfig config;

    private List<IpSubnetFilterRule> trusted;

    @PostConstruct
    void start() {
        List<IpSubnetFilterRule> ranges = new ArrayList<>();
        for (String text : config.api().trustedProxies().orElse(List.of())) {
            if (!text.isBlank()) {
                ranges.add(range(text.trim()));
            }
        }
        trusted = List.copyOf(ranges);
    }

    /**
     * The key a per-client limit counts under: the client's address, or an IPv6 client's /64,
     * which one client usually holds whole and could otherwise walk through.
     */
    public String key(HttpServerRequest request) {
        InetAddress client = of(request);
        if (client == null) {
            return "unknown";
        }
        if (client instanceof Inet6Address) {
            return HexFormat.of().formatHex(client.getAddress(), 0, 8) + "::/64";
        }
        return client.getHostAddress();
    }

    /** The peer, or from a trusted proxy the right-most address of X-Forwarded-For that is not one. */
    public InetAddress of(HttpServerRequest request) {
        InetAddress client = request.remoteAddress() == null
                ? null
                : address(request.remoteAddress().hostAddress());
        List<String> hops = new ArrayList<>();
        for (String header : request.headers().getAll("X-Forwarded-For")) {
            hops.addAll(List.of(header.split(",")));
        }
        for (int i = hops.size() - 1; i >= 0 && client != null && trusted(client); i--) {
            InetAddress hop = address(hops.get(i).trim());
            if (hop == null) {
                break; // not an address: the trusted hop that passed it on answers for it
            }
            client = hop;
        }
        return client;
    }

    private boolean trusted(InetAddress address) {
        InetSocketAddress socket = new InetSocketAddress(address, 0);
        return trusted.stream().anyMatch(range -> range.matches(socket));
    }

    /** An IP literal (as proxies write them: with a port, IPv6 in brackets), never a name to resolve. */
    private static InetAddress address(String text) {
        if (text == null) {
            return null;
        }
        String literal = text;
        if (literal.startsWith("[") && literal.indexOf(']') > 0) {
            literal = literal.substring(1, literal.indexOf(']'));
        } else if (literal.indexOf(':') > 0 && literal.indexOf(':') == literal.lastIndexOf(':')) {
            literal = literal.substring(0, literal.indexOf(':')); // IPv4 with a port
        }
        return NetUtil.createInetAddressFromIpAddressString(literal);
    }

    private static IpSubnetFilterRule range(String text) {
        int slash = text.indexOf('/');
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(slash < 0 ? text : text.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("correlator.api.trusted-proxies: not an address or CIDR range: " + text);
        }
        int bits = slash < 0 ? address.getAddress().length * 8 : Integer.parseInt(text.substring(slash + 1));
        return new IpSubnetFilterRule(address, bits, IpFilterRuleType.ACCEPT);
    }
}
