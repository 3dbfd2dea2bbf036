export interface WorkerRequest {
  name: string;
  args: unknown;
}
export type WorkerReply = { kind: 'ok'; value: unknown } | { kind: 'error'; error: string } | { kind: 'log'; message: string };
