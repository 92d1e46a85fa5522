#!/usr/bin/env python3
"""`make lint`'s check that no two hand-written functions repeat themselves.

    scripts/check-duplicate-functions.py [DIR ...]   (default: Sources)

Reads every function, initialiser and computed property with a body in the
hand-written Swift under DIR (not Generated/), reduces each line to its
shape (names, strings and numbers made alike; blank and comment lines
dropped), and fails when two of them share a run of more than 10 such
lines: then one function should serve both. Prints how many it compared.
"""
import itertools
import os
import re
import sys

ROOTS = sys.argv[1:] or ["Sources"]
LIMIT = 10
def norm(l):
    l=l.strip()
    l=re.sub(r'"(?:[^"\\]|\\.)*"', 'S', l)
    l=re.sub(r'\b\d+(\.\d+)?\b', 'N', l)
    l=re.sub(r'\b[A-Za-z_]\w*\b', lambda m: m.group(0) if m.group(0) in KW else 'X', l)
    return l
KW=set('func init let var if else guard return for in while switch case default throw throws try catch do where self Self true false nil static private fileprivate package public internal mutating struct enum extension break continue async await inout some any'.split())
funcs=[]
for root in ROOTS:
  for dp,_,fs in os.walk(root):
      if '/Generated' in dp: continue
      for f in fs:
          if not f.endswith('.swift'): continue
          p=os.path.join(dp,f); lines=open(p).read().split('\n')
          i=0
          while i<len(lines):
              l=lines[i]
              m=re.match(r'^(\s*)(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|private|fileprivate|internal|static|mutating|override|final|nonisolated)\s+)*(func\s|init[?(<]|var\s+\w+\s*:.*\{\s*$|subscript)', l)
              if m:
                  ind=len(m.group(1))
                  # find opening brace line
                  j=i
                  while j<len(lines) and '{' not in lines[j]: j+=1
                  if j>=len(lines): i+=1; continue
                  if lines[j].rstrip().endswith('}') and lines[j].count('{')==lines[j].count('}'):
                      i=j+1; continue
                  k=j+1
                  while k<len(lines) and not (lines[k].startswith(' '*ind+'}') and len(lines[k])-len(lines[k].lstrip())==ind): k+=1
                  body=[norm(x) for x in lines[j+1:k] if x.strip() and not x.strip().startswith('//')]
                  funcs.append((p, i+1, body, k + 1))
                  i=j+1  # allow nested funcs
                  continue
              i+=1
def longest(a,b):
    best=0
    prev=[0]*(len(b)+1)
    for x in a:
        cur=[0]*(len(b)+1)
        for jj,y in enumerate(b):
            if x==y:
                cur[jj+1]=prev[jj]+1
                if cur[jj+1]>best: best=cur[jj+1]
        prev=cur
    return best
big=[f for f in funcs if len(f[2])>LIMIT]
found=0
for a,b in itertools.combinations(big,2):
    if a[0] == b[0] and a[1] <= b[3] and b[1] <= a[3]:
        continue  # one is nested in the other
    n=longest(a[2],b[2])
    if n>LIMIT:
        found+=1; print(f'{a[0]}:{a[1]} ~ {b[0]}:{b[1]}: {n} lines alike; make one function serve both', file=sys.stderr)
print(f'functions: {len(funcs)} compared ({len(big)} longer than {LIMIT} lines), {found} pairs repeat more than {LIMIT} lines')
sys.exit(1 if found else 0)
