// What `preflight` finds out about the Docker Engine and its kernel, with fixes per platform.

export type Platform = 'linux' | 'docker-desktop' | 'wsl2' | 'orbstack' | 'colima' | 'podman';
export type PreflightStatus = 'ok' | 'warn' | 'fail' | 'skipped';

export interface PreflightFix {
  platform: Platform;
  text: string;
}

export interface PreflightItem {
  id: string;
  title: string;
  status: PreflightStatus;
  detail: string;
  fixes: PreflightFix[];
}

export interface PreflightReport {
  endpoint: string;
  engine: {
    version: string;
    apiVersion: string;
    os: string;
    kernel: string;
    platform: Platform;
    rootless: boolean;
  } | null;
  items: PreflightItem[];
  /** True when every item is ok or a warning: the labs can run. */
  ok: boolean;
}
