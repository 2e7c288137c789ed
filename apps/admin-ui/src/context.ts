import { createContext, useContext } from 'react';
import type { RemoteAppProps } from '@cetate/shared-ui';
import type { PlatformApi } from './api/platform-api.js';

/** What every screen of the admin remote reads: the API client, the shell's props, the caller's user id. */
export interface AdminContextValue {
  api: PlatformApi;
  props: RemoteAppProps;
  /** `sub` of the caller's token (undefined until the first token was read). */
  subject: string | undefined;
}

export const AdminContext = createContext<AdminContextValue | null>(null);

/** The {@link AdminContextValue}; throws outside `App`. */
export function useAdmin(): AdminContextValue {
  const v = useContext(AdminContext);
  if (!v) throw new Error('useAdmin() outside the admin App');
  return v;
}
