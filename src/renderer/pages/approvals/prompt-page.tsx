import { useEffect, useState } from 'react';
import type { ApprovalInfo, DeviceRequestInfo } from '../../../shared/model.js';
import { admin, inElectron } from '../../api/admin.js';
import { EmptyState } from '../../components/error-notice.js';
import { LoadedView } from '../../components/loaded.js';
import { useAdminData } from '../../hooks/use-admin-data.js';
import { ApprovalCard } from './approval-card.js';
import { DeviceRequestCard } from './device-request-card.js';

/** The always-on-top prompt window closes itself shortly after the answer (Electron only: a browser tab is the person's). */
const CLOSE_AFTER_MS = 1500;

function useCloseWhenAnswered(answered: boolean): void {
  useEffect(() => {
    if (!answered || !inElectron) return undefined;
    const timer = setTimeout(() => window.close(), CLOSE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [answered]);
}

function Answered({ text }: { readonly text: string }) {
  return (
    <div className="card stack" data-testid="prompt-answered">
      <p>{text}</p>
      <p className="muted small">You can close this window.</p>
    </div>
  );
}

/** `#/prompt/<approvalId>`: one waiting access, compact, with the same three answers as the Approvals page. */
export function PromptPage({ approvalId }: { readonly approvalId: string }) {
  const [decided, setDecided] = useState<ApprovalInfo | undefined>(undefined);
  const { data, reload } = useAdminData(
    async () => (await admin.listApprovals({ status: 'all', limit: 500 })).find((a) => a.id === approvalId),
    [approvalId],
    ['approval.decided'],
  );
  const current = decided ?? (data.state === 'ok' ? data.value : undefined);
  useCloseWhenAnswered(current !== undefined && current.status !== 'pending');
  return (
    <div className="prompt stack" data-testid="prompt-page">
      <h1 className="prompt-title">An agent asks for a secret</h1>
      <LoadedView data={data} onRetry={reload}>
        {(approval) => {
          if (approval === undefined) return <EmptyState title="This request is gone">It was answered elsewhere or timed out.</EmptyState>;
          const shown = decided ?? approval;
          if (shown.status !== 'pending') return <Answered text={`Answered: ${shown.status.replace('_', ' ')}.`} />;
          return <ApprovalCard approval={shown} onDecided={setDecided} />;
        }}
      </LoadedView>
    </div>
  );
}

/** `#/prompt/device/<requestId>`: an agent asking for a token, with its user code to compare. */
export function DevicePromptPage({ requestId }: { readonly requestId: string }) {
  const [decided, setDecided] = useState<DeviceRequestInfo | undefined>(undefined);
  const { data, reload } = useAdminData(
    async () => (await admin.listDeviceRequests({ status: 'all' })).find((r) => r.id === requestId),
    [requestId],
    ['device.decided', 'device.bound'],
  );
  const current = decided ?? (data.state === 'ok' ? data.value : undefined);
  useCloseWhenAnswered(current !== undefined && current.status !== 'pending');
  return (
    <div className="prompt stack" data-testid="device-prompt-page">
      <h1 className="prompt-title">An agent asks for access</h1>
      <LoadedView data={data} onRetry={reload}>
        {(request) => {
          if (request === undefined) return <EmptyState title="This request is gone">It was answered elsewhere or expired.</EmptyState>;
          const shown = decided ?? request;
          if (shown.status !== 'pending') return <Answered text={`Answered: ${shown.status}.`} />;
          return <DeviceRequestCard request={shown} onDecided={setDecided} />;
        }}
      </LoadedView>
    </div>
  );
}
