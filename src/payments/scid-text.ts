// sendpay reads route hop channels with Core Lightning's lenient short_channel_id text parser (one
// implementation in rpc/scid-text.ts); these are the names the payments API has always exported.
import { scidFromClnText, scidText } from '../rpc/scid-text.js';

/** Parse like CLN's short_channel_id_from_str; returns the u64 scid or undefined. */
export const parseScidLenient: (s: string) => bigint | undefined = scidFromClnText;

/** "BLOCKxTXxOUT", as CLN prints scids. */
export const formatScid: (scid: bigint) => string = scidText;
