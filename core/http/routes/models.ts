import type { Context } from 'koa';
import { isRestricted } from '../../callers/caller.ts';
import type { ModelInfo } from '../../contracts/openai.ts';
import { ModelNotAllowedError } from '../../errors/model-not-allowed-error.ts';
import { ModelNotFoundError } from '../../errors/model-not-found-error.ts';
import { aliasModel } from '../../routing/model-catalog.ts';
import { resolveModel } from '../../routing/model-resolver.ts';
import { sendJson } from '../respond.ts';
import type { GatewayServices } from '../services.ts';

/**
 * `GET /v1/models`: every configured provider's models as `provider/model`, plus the aliases — of them,
 * what the caller may use (its `models` list; for a local-only caller, local models and aliases with a
 * local entry).
 */
export function listModels(services: GatewayServices) {
  return async (ctx: Context): Promise<void> => {
    const caller = ctx.vars.caller;
    const all = await services.catalog.list(services.aliases.current);
    const data = isRestricted(caller) ? all.filter((m) => services.admission.allows(caller, m.id, providersOf(m))) : all;
    sendJson(ctx, { object: 'list', data });
  };
}

/** The providers a listed model would be served by: an alias's chain, or the provider before the `/`. */
function providersOf(model: ModelInfo): string[] {
  const chain = (model as { chain?: string[] }).chain;
  return chain ? chain.map((entry) => entry.slice(0, entry.indexOf('/'))) : [model.id.slice(0, model.id.indexOf('/'))];
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
    if (alias) {
      refuseUnlessAllowed(ctx, services, alias.name, alias.chain.map((entry) => entry.slice(0, entry.indexOf('/'))));
      return sendJson(ctx, aliasModel(alias.name, alias.description, alias.chain));
    }
    if (id.startsWith('mana/')) throw new ModelNotFoundError(`Unknown alias "${id}". GET /v1/aliases lists the aliases in force.`, { param: null });
    const [entry] = resolveModel(id, aliases, services.resolver).chain;
    refuseUnlessAllowed(ctx, services, entry!.resolved, [entry!.provider]);
    const models = await services.catalog.providerModels(entry!.provider);
    const found = models.find((m) => m.id === entry!.model || m.id === `${entry!.model}:latest`);
    if (!found) {
      throw new ModelNotFoundError(`Model "${id}" is not offered by ${entry!.provider}${services.registry.provider(entry!.provider) ? '' : ' (not configured)'}. GET /v1/models lists what is.`, { param: null });
    }
    sendJson(ctx, { ...found, id });
  };
}

function refuseUnlessAllowed(ctx: Context, services: GatewayServices, name: string, providers: string[]): void {
  const caller = ctx.vars.caller;
  if (isRestricted(caller) && !services.admission.allows(caller, name, providers)) {
    throw new ModelNotAllowedError(`caller "${caller.name}" may not use "${name}" (GET /v1/models lists what it may use).`);
  }
}
