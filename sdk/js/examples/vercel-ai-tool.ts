/**
 * Example (not built, not type-checked by this repository): Valetkey as a Vercel AI SDK tool.
 * It type-checks only with the packages installed:  npm i @valetkey/sdk ai @ai-sdk/openai zod
 *
 * The model asks for an invoice total; the tool calls the billing API with the API key filled in
 * by Valetkey (`use`), so neither the model nor this process ever sees the key. The person sees
 * each use, with its reason, in the Activity log, and can revoke the token at any time.
 */
import { openai } from '@ai-sdk/openai';
import { generateText, stepCountIs, tool } from 'ai';
import { z } from 'zod';
import { ApprovalDeniedError, Valetkey, ValetkeyError } from '@valetkey/sdk';

// Enroll with the code from the app (or VALETKEY_ENROLL_CODE); the token is revoked when this process exits.
const vk = await Valetkey.connect({ reason: 'answer billing questions from the support chat', name: 'billing-assistant' });

export const invoiceTotal = tool({
  description: 'Look up the total of an invoice by its number in the billing system.',
  inputSchema: z.object({ invoice: z.string().regex(/^INV-\d+$/) }),
  execute: async ({ invoice }) => {
    try {
      const res = await vk.use(
        {
          method: 'GET',
          url: `https://billing.example.com/v1/invoices/${invoice}`,
          headers: { Authorization: 'Bearer {{vk://Accounting/Billing API/api_key}}' },
        },
        { reason: `support chat asked for the total of ${invoice}` },
      );
      if (res.status !== 200) return { error: `billing answered ${res.status}` };
      const { total, currency } = JSON.parse(res.body) as { total: number; currency: string };
      return { invoice, total, currency };
    } catch (e) {
      // Typed errors make good tool answers: the model can tell the user what happened.
      if (e instanceof ApprovalDeniedError) return { error: 'the account owner declined this lookup' };
      if (e instanceof ValetkeyError) return { error: `Valetkey refused: ${e.code}` };
      throw e;
    }
  },
});

const { text } = await generateText({
  model: openai('gpt-4.1-mini'),
  tools: { invoiceTotal },
  stopWhen: stepCountIs(3),
  prompt: 'What is the total of invoice INV-1042?',
});
console.log(text);
await vk.close();
