import type { Context } from 'koa';
import { sendJson } from '../respond.ts';
import type { GatewayServices } from '../services.ts';

/** `GET /v1/aliases`: the aliases in force now, with their chains and descriptions. */
export function listAliases(services: GatewayServices) {
  return (ctx: Context): void => {
    const set = services.aliases.current;
    sendJson(ctx, {
      default: set.default,
      aliases: [...set.aliases.values()].map((a) => ({ name: a.name, description: a.description, chain: a.chain })),
    });
  };
}
