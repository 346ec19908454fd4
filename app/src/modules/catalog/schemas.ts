import { z } from "zod";

export const itemIdParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const createItemBody = z
  .object({
    sku: z.string().trim().regex(/^[A-Za-z0-9-]{1,64}$/, "1-64 letters, digits or dashes"),
    name: z.string().trim().min(1).max(200),
    description: z.string().max(2000).default(""),
    priceCents: z.number().int().min(0).max(100_000_000),
  })
  .strict();

export const updateItemBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(2000).optional(),
    priceCents: z.number().int().min(0).max(100_000_000).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: "at least one of name, description, priceCents is required" });

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z.coerce.number().int().min(0).default(0),
});

export type CreateItem = z.infer<typeof createItemBody>;
export type UpdateItem = z.infer<typeof updateItemBody>;

export interface Item {
  id: number;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface PriceSummary {
  itemCount: number;
  totalCents: number;
  minCents: number | null;
  maxCents: number | null;
  avgCents: number | null;
  bands: { band: string; count: number }[];
}
