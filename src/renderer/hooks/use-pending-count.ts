import { admin } from '../api/admin.js';
import { useAdminData } from './use-admin-data.js';

/** Pending approvals plus device requests, for the navigation badge; 0 while unknown. */
export function usePendingCount(): number {
  const { data } = useAdminData(
    async () => {
      const [approvals, requests] = await Promise.all([
        admin.listApprovals({ status: 'pending' }).catch(() => []),
        admin.listDeviceRequests({ status: 'pending' }).catch(() => []),
      ]);
      return approvals.length + requests.length;
    },
    [],
    ['approval.requested', 'approval.decided', 'device.requested', 'device.decided'],
  );
  return data.state === 'ok' ? data.value : 0;
}
