/**
 * Stands in for express in the browser project. @colyseus/sdk's declarations import the server's
 * (@colyseus/core), whose optional express hook would pull in express's types and, through them,
 * every Node global: browser code could then call Buffer or process and still typecheck. The
 * bundle never contains express, so an opaque application type is all the SDK's types need.
 */
declare namespace express {
  type Application = unknown;
}
declare function express(): express.Application;
export default express;
export type Application = express.Application;
