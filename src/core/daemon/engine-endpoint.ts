/**
 * Connects the agent endpoint to an engine: the endpoint's services are the engine's own token
 * service, device flow, approval broker, vaults and audit ledger.
 */
import { randomBytes } from 'node:crypto';
import { startAgentEndpoint, type AgentEndpoint } from '../endpoint/agent-endpoint.js';
import { ENGINE_VERSION, type Engine } from '../engine.js';
import type { EndpointServices } from '../endpoint/endpoint-services.js';

export function endpointServices(engine: Engine): EndpointServices {
  return {
    tokens: engine.tokens,
    device: engine.device,
    approvals: engine.approvals,
    vaults: engine.vaults,
    tripwires: engine.tripwires,
    audit: (r) => engine.audit(r),
    // Verifying needs only the key, also while locked (so a refusal row can name the token); signing goes through engine.tokenKey().
    tokenKey: () => engine.signer ?? engine.tokenKey(),
    locked: () => engine.locked,
    paused: () => engine.agentsPaused,
    clock: () => engine.clock(),
    nonceSecret: randomBytes(32),
    vaultApproval: (vaultId) => engine.vaults.vaultApproval(vaultId),
    proxyCa: () => engine.proxyCa(),
  };
}

export async function startEngineEndpoint(engine: Engine): Promise<AgentEndpoint> {
  const endpoint = await startAgentEndpoint({
    services: (issuer) => {
      // The engine signed its tokens for this issuer; a different port would make them all invalid.
      if (issuer !== engine.issuer) throw new Error(`agent endpoint bound ${issuer}, engine expects ${engine.issuer}`);
      return endpointServices(engine);
    },
    tcpPort: engine.agentPort,
    socketPath: engine.paths.agentSocket,
    discoveryFile: engine.paths.discovery,
    version: ENGINE_VERSION,
  });
  engine.setAgentEndpoint({ url: endpoint.url, socketPath: endpoint.socketPath });
  return endpoint;
}
