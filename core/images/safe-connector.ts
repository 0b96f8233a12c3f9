import { isIP } from 'node:net';
import { buildConnector } from 'undici';
import { addressPredicate, createSafeLookup, vetAddress, type SafeLookupOptions } from './safe-lookup.ts';

export interface SafeConnectorOptions extends Omit<SafeLookupOptions, 'port'> {
  /** Upper bound for the TCP (and TLS) handshake. */
  connectTimeoutMs?: number;
}

/**
 * An undici `connect` that lets a socket reach only vetted addresses. A hostname goes through the safe lookup;
 * an IP literal is checked here, because net.connect skips `lookup` for literals and would otherwise connect to
 * 127.0.0.1 unasked. A connector is built per connection so that the lookup knows the port it serves.
 */
export function createSafeConnector(options: SafeConnectorOptions = {}): buildConnector.connector {
  const isAllowed = addressPredicate(options);
  return (connectOptions, callback) => {
    const port = Number(connectOptions.port) || (connectOptions.protocol === 'https:' ? 443 : 80);
    const host = connectOptions.hostname.replace(/^\[(.*)\]$/, '$1');
    const family = isIP(host);
    if (family !== 0) {
      try {
        vetAddress({ hostname: host, address: host, family, port }, isAllowed);
      } catch (err) {
        callback(err as Error, null);
        return;
      }
    }
    const connect = buildConnector({
      timeout: options.connectTimeoutMs ?? 10_000,
      lookup: createSafeLookup({ ...options, isAllowedAddress: isAllowed, port }),
    });
    connect(connectOptions, callback);
  };
}
