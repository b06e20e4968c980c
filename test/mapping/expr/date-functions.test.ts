import { describe, expect, it } from "vitest";
import { ExpressionEvaluationError, type EvalResult } from "../../../src/mapping/expr/index.js";
import { evaluate } from "./support.js";

type Row = readonly [name: string, source: string, attributes: Record<string, unknown>, expected: EvalResult];

const HIRE = { StatusHireDate: "2012-03-16-07:00" };

const rows: readonly Row[] = [
  // CDate
  [
    "CDate: MS example 1 (Workday date with offset)",
    "CDate([StatusHireDate])",
    { StatusHireDate: "2020-03-16-07:00" },
    "3/16/2020 7:00:00 AM",
  ],
  ["CDate: MS example 2 (positive offset crosses midnight)", 'CDate("2021-06-30+08:00")', {}, "6/29/2021 4:00:00 PM"],
  ["CDate: MS example 3 (ISO 8601 with time)", 'CDate("2009-06-15T01:45:30-07:00")', {}, "6/15/2009 8:45:30 AM"],
  ["CDate: ISO 8601 UTC with fraction", 'CDate("2024-02-29T23:59:59.1234567Z")', {}, "2/29/2024 11:59:59 PM"],
  ["CDate: Entra's own output format round-trips", 'CDate("8/25/2021 5:41:18 PM")', {}, "8/25/2021 5:41:18 PM"],
  ["CDate: midnight is 12 AM", 'CDate("2021-01-01")', {}, "1/1/2021 12:00:00 AM"],
  ["CDate: LDAP generalized time", 'CDate("20150123105347.1Z")', {}, "1/23/2015 10:53:47 AM"],
  ["CDate: null", "CDate([x])", {}, null],
  // DateAdd (MS example 1 table)
  ["DateAdd: MS add 7 days to hire date", 'DateAdd("d", 7, CDate([StatusHireDate]))', HIRE, "3/23/2012 7:00:00 AM"],
  ["DateAdd: MS ten days before hire date", 'DateAdd("d", -10, CDate([StatusHireDate]))', HIRE, "3/6/2012 7:00:00 AM"],
  ["DateAdd: MS two weeks", 'DateAdd("ww", 2, CDate([StatusHireDate]))', HIRE, "3/30/2012 7:00:00 AM"],
  ["DateAdd: MS ten months", 'DateAdd("m", 10, CDate([StatusHireDate]))', HIRE, "1/16/2013 7:00:00 AM"],
  ["DateAdd: MS two years", 'DateAdd("yyyy", 2, CDate([StatusHireDate]))', HIRE, "3/16/2014 7:00:00 AM"],
  ["DateAdd: month end is clamped like .NET", 'DateAdd("m", 1, "2021-01-31")', {}, "2/28/2021 12:00:00 AM"],
  ["DateAdd: leap day plus a year", 'DateAdd("yyyy", 1, "2024-02-29")', {}, "2/28/2025 12:00:00 AM"],
  [
    "DateAdd: hours, minutes, seconds",
    'DateAdd("s", 30, DateAdd("n", 1, DateAdd("h", 1, "2021-01-01")))',
    {},
    "1/1/2021 1:01:30 AM",
  ],
  ["DateAdd: null date", 'DateAdd("d", 1, [x])', {}, null],
  ["DateAdd: from Now()", 'DateAdd("d", 1, Now())', {}, "7/3/2021 3:33:38 PM"],
  // DateDiff (MS example table)
  ["DateDiff: MS positive days", 'DateDiff("d", "2021-08-18+08:00", "2021-08-31+08:00")', {}, 13],
  ["DateDiff: MS negative days", 'DateDiff("d", "8/25/2021 5:41:18 PM", "2012-03-16-07:00")', {}, -3449],
  ["DateDiff: MS weeks", 'DateDiff("ww", "8/25/2021 5:41:18 PM", "2012-03-16-07:00")', {}, -493],
  ["DateDiff: MS months", 'DateDiff("m", "8/25/2021 5:41:18 PM", "2012-03-16-07:00")', {}, -113],
  ["DateDiff: MS years", 'DateDiff("yyyy", "8/25/2021 5:41:18 PM", "2012-03-16-07:00")', {}, -9],
  ["DateDiff: MS same dates", 'DateDiff("d", "2021-08-31+08:00", "2021-08-31+08:00")', {}, 0],
  ["DateDiff: MS hours", 'DateDiff("h", "2021-08-24", "2021-08-25")', {}, 24],
  ["DateDiff: MS minutes", 'DateDiff("n", "2021-08-24", "2021-08-25")', {}, 1440],
  ["DateDiff: MS seconds", 'DateDiff("s", "2021-08-24", "2021-08-25")', {}, 86400],
  ["DateDiff: null", 'DateDiff("d", [a], "2021-08-25")', {}, null],
  // DateFromNum / NumFromDate
  [
    "DateFromNum: MS example (January 1, 2012 at 11:00 PM)",
    "DateFromNum(129699324000000000)",
    {},
    "1/1/2012 11:00:00 PM",
  ],
  [
    "DateFromNum: string attribute (lastLogonTimestamp)",
    "DateFromNum([lastLogonTimestamp])",
    { lastLogonTimestamp: "129699324000000000" },
    "1/1/2012 11:00:00 PM",
  ],
  ["DateFromNum: null", "DateFromNum([lastLogonTimestamp])", {}, null],
  ["NumFromDate: inverse of DateFromNum", 'NumFromDate("2012-01-01T23:00:00Z")', {}, "129699324000000000"],
  [
    "NumFromDate: MS Workday example (end of contract)",
    'NumFromDate(Join("", FormatDateTime([ContractEndDate], ,"yyyy-MM-ddzzz", "yyyy-MM-dd"), " 23:59:59-08:00"))',
    { ContractEndDate: "2020-12-31-08:00" },
    "132539615990000000",
  ],
  [
    "NumFromDate: MS SuccessFactors example",
    'NumFromDate(Join("",FormatDateTime([endDate], ,"M/d/yyyy hh:mm:ss tt","yyyy-MM-dd")," 23:59:59-08:00"))',
    { endDate: "12/31/2020 08:00:00 AM" },
    "132539615990000000",
  ],
  // FormatDateTime
  [
    "FormatDateTime: MS example (ServiceNow)",
    'FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")',
    { extensionAttribute1: "20150123105347.1Z" },
    "2015-01-23",
  ],
  [
    "FormatDateTime: yyyyMMddHHmmssZ",
    'FormatDateTime([d], , "yyyyMMddHHmmssZ", "yyyy-MM-ddTHH:mm:ssK")',
    { d: "20150123105347Z" },
    "2015-01-23T10:53:47Z",
  ],
  [
    "FormatDateTime: ISO input with zzz offset to UTC",
    'FormatDateTime([d], , "yyyy-MM-ddTHH:mm:sszzz", "dd/MM/yyyy HH:mm")',
    { d: "2021-06-30T01:00:00+02:00" },
    "29/06/2021 23:00",
  ],
  [
    "FormatDateTime: month and day names",
    'FormatDateTime("2021-07-04", , "yyyy-MM-dd", "dddd, MMMM d, yyyy (ddd MMM)")',
    {},
    "Sunday, July 4, 2021 (Sun Jul)",
  ],
  [
    "FormatDateTime: parse month names",
    'FormatDateTime("04 Jul 2021", , "dd MMM yyyy", "yyyy-MM-dd")',
    {},
    "2021-07-04",
  ],
  [
    "FormatDateTime: quoted literals and escapes",
    `FormatDateTime("2021-07-04", , "yyyy-MM-dd", "'Day' d \\\\o\\\\f yyyy")`,
    {},
    "Day 4 of 2021",
  ],
  [
    "FormatDateTime: fractions f and F",
    'FormatDateTime("2021-07-04T10:00:00.120Z", , "yyyy-MM-ddTHH:mm:ss.fffK", "HH:mm:ss.fff|ss.FFF|tt|h")',
    {},
    "10:00:00.120|00.12|AM|10",
  ],
  ["FormatDateTime: two-digit year", 'FormatDateTime("31/12/99", , "dd/MM/yy", "yyyy")', {}, "1999"],
  [
    "FormatDateTime: empty dateTimeStyles and leading white space",
    'FormatDateTime("  2021-07-04 ", , "yyyy-MM-dd", "M/d/yyyy")',
    {},
    "7/4/2021",
  ],
  ["FormatDateTime: null source", 'FormatDateTime([x], , "yyyy", "yyyy")', {}, null],
  // Now
  ["Now: M/d/yyyy h:mm:ss tt in UTC from the injected clock", "Now()", {}, "7/2/2021 3:33:38 PM"],
];

describe("date functions", () => {
  it.each(rows)("%s", (_name, source, attributes, expected) => {
    expect(evaluate(source, attributes)).toEqual(expected);
  });

  it.each([
    ["CDate of a non-date", 'CDate("not a date")'],
    ["CDate of 30 February", 'CDate("2021-02-30")'],
    ["FormatDateTime input that does not match the format", 'FormatDateTime("2021-07-04", , "yyyyMMdd", "yyyy")'],
    ["DateAdd with an interval from an attribute that is not one", "DateAdd([i], 1, Now())"],
    ["DateFromNum of text", 'DateFromNum("soon")'],
    ["DateAdd past year 9999", 'DateAdd("yyyy", 9000, "2021-01-01")'],
  ])("%s is a typed error", (_name, source) => {
    expect(() => evaluate(source, { i: "fortnight" })).toThrow(ExpressionEvaluationError);
  });
});
