/** Syntax tree of one expression. `column` is 1-based, for error messages. */
export type ComparisonOperator = "=" | "<>" | "<" | "<=" | ">" | ">=";

export type ExprNode =
  | { readonly kind: "string"; readonly value: string; readonly column: number }
  | { readonly kind: "number"; readonly value: number; readonly column: number }
  | { readonly kind: "attribute"; readonly name: string; readonly column: number }
  /** A bare word such as `vbTextCompare` (InStr's compare type). */
  | { readonly kind: "name"; readonly name: string; readonly column: number }
  /** An argument left out between commas, e.g. Switch's default in `Switch([a], , "1", "x")`. */
  | { readonly kind: "empty"; readonly column: number }
  | {
      readonly kind: "call";
      readonly name: string;
      readonly args: readonly ExprNode[];
      readonly column: number;
      readonly end: number;
    }
  | {
      readonly kind: "compare";
      readonly operator: ComparisonOperator;
      readonly left: ExprNode;
      readonly right: ExprNode;
      readonly column: number;
    };
