/**
 * Example (not built, not type-checked by this repository): Valetkey as an OpenAI Agents SDK tool.
 * It type-checks only with the packages installed:  npm i @valetkey/sdk @openai/agents zod
 *
 * The triage agent hands deploys to a sub-agent with its OWN narrower, shorter-lived token
 * (`exchange`): it can use only the deploy key, for ten minutes, and revoking the parent's token
 * in the app revokes it too.
 */
import { Agent, run, tool } from '@openai/agents';
import { z } from 'zod';
import { Valetkey, ValetkeyError } from '@valetkey/sdk';

// No enrollment code: ask the person through the device flow; the user code is printed to stderr.
const vk = await Valetkey.connect({
  reason: 'deploy the release the team tagged',
  scopes: ['vault:Deploy:use'],
  lifespan: '1h',
  name: 'release-agent',
});

const deployer = await vk.exchange({ name: 'release-agent/deployer', scopes: ['vault:Deploy:use'], ttl: 600 });

const triggerDeploy = tool({
  name: 'trigger_deploy',
  description: 'Start the production deploy of a tagged release.',
  parameters: z.object({ tag: z.string().regex(/^v\d+\.\d+\.\d+$/) }),
  execute: async ({ tag }) => {
    try {
      const res = await deployer.use(
        {
          method: 'POST',
          url: 'https://ci.example.com/api/deploys',
          headers: { Authorization: 'Bearer {{vk://Deploy/CI token/credential}}', 'Content-Type': 'application/json' },
          body: JSON.stringify({ tag, environment: 'production' }),
        },
        { reason: `deploy ${tag} to production` },
      );
      return `CI answered ${res.status}: ${res.body.slice(0, 200)}`;
    } catch (e) {
      if (e instanceof ValetkeyError) return `Valetkey refused the deploy (${e.code}): ${e.message}`;
      throw e;
    }
  },
});

const agent = new Agent({
  name: 'Release agent',
  instructions: 'You deploy tagged releases when asked. Never guess a tag.',
  tools: [triggerDeploy],
});

const result = await run(agent, 'Deploy v3.2.0 to production.');
console.log(result.finalOutput);
await deployer.close();
await vk.close();
