/** English function words and words every abstract uses, which say nothing about a paper's topic. */
export const STOPWORDS = new Set(
  `a about above across after again against all almost also although always among an and another any are as at
  be because been before being below between both but by can could did do does doing done during each either
  else enough especially etc even ever every few for from further had has have having here how however if in
  into is it its itself just less like made make makes many may might more most much must neither no nor not
  now of off often on once one only onto or other others otherwise our ours out over own per perhaps rather
  same several shall should since so some such than that the their theirs them themselves then there these
  they this those though through thus to too toward towards under until up upon us use used uses using very
  via was we well were what whatever when where whereas whether which while who whom whose why will with
  within without would yet you your
  paper papers propose proposed proposes present presents presented approach approaches method methods
  result results show shows shown demonstrate demonstrates study studies work works new novel based existing
  achieve achieves achieved performance state art significantly significant effective effectively address
  introduce introduces introduced first two three further extensive experiments experimental findings key
  task tasks various across different large including provide provides code available https github com www
  model models data dataset datasets training train trained`.split(/\s+/).filter(Boolean),
);
