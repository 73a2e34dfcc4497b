// A local HTTP server on 127.0.0.1 that answers the providers' API reads from recordings, and
// refuses the rest: a GET nothing recorded, and any write (a plan never writes). Every refusal is
// kept, so the rehearsal can name each one and the command that would record it.
import * as http from "http";
import { AddressInfo } from "net";
import { requestKey } from "./recordings";

export interface Replay {
  readonly url: string;
  /** Requests nothing answered, and every write. */
  readonly refused: { method: string; path: string }[];
  /** Every request, as "METHOD key". */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Starts serving `byPath` (path -> JSON). */
export function startReplay(byPath: Map<string, unknown>): Promise<Replay> {
  const refused: Replay["refused"] = [];
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url!, "http://127.0.0.1");
    const key = requestKey(url);
    requests.push(`${request.method} ${key}`);
    request.resume();
    const body = request.method === "GET" ? byPath.get(key) : undefined;
    if (body !== undefined) return send(response, 200, body);
    refused.push({ method: request.method!, path: key });
    // 501: not an answer about the object (a 404 would tell the provider it is gone), and not one
    // the providers retry.
    const message = `rehearsal: ${request.method} ${key} is not in the recording`;
    send(response, 501, { error: { code: 501, message, status: "UNIMPLEMENTED" }, message, type: "rehearsal_not_recorded" });
  });
  server.keepAliveTimeout = 1000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        refused,
        requests,
        close: () => new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

function send(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "Content-Type": "application/json; charset=UTF-8", "Content-Length": Buffer.byteLength(text) });
  response.end(text);
}
