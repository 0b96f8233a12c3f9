import type { Context } from 'koa';
import { ModelNotFoundError } from '../../errors/model-not-found-error.ts';
import { aliasModel } from '../../routing/model-catalog.ts';
import { resolveModel } from '../../routing/model-resolver.ts';
import { sendJson } from '../respond.ts';
import type { GatewayServices } from '../services.ts';

/** `GET /v1/models`: every configured provider's models as `provider/model`, plus the aliases. */
export function listModels(services: GatewayServices) {
  return async (ctx: Context): Promise<void> => {
    sendJson(ctx, { object: 'list', data: await services.catalog.list(services.aliases.current) });
  };
}

/**
 * `GET /v1/models/{id}`: an alias, or a model its provider lists. The id may hold raw `/` and `:` or arrive
 * percent-encoded (`%2F`).
 */
export function getModel(services: GatewayServices) {
  return async (ctx: Context): Promise<void> => {
    // The route table has already decoded the path (so `%2F` arrived as `/`); decoding again would mangle a `%`.
    const id = ctx.params?.id ?? '';
    const aliases = services.aliases.current;
    const alias = aliases.aliases.get(id);
    if (alias) return sendJson(ctx, aliasModel(alias.name, alias.description, alias.chain));
    if (id.startsWith('mana/')) throw new ModelNotFoundError(`Unknown alias "${id}". GET /v1/aliases lists the aliases in force.`, { param: null });
    const [entry] = resolveModel(id, aliases, services.resolver).chain;
    const models = await services.catalog.providerModels(entry!.provider);
    const found = models.find((m) => m.id === entry!.model || m.id === `${entry!.model}:latest`);
    if (!found) {
      throw new ModelNotFoundError(`Model "${id}" is not offered by ${entry!.provider}${services.registry.provider(entry!.provider) ? '' : ' (not configured)'}. GET /v1/models lists what is.`, { param: null });
    }
    sendJson(ctx, { ...found, id });
  };
}
